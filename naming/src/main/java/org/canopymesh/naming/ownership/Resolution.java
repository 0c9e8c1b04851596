package org.canopymesh.naming.ownership;

import java.util.Map;
import org.canopymesh.naming.key.VerifyingKey;

/** What k of n logs say about one name. */
public sealed interface Resolution {
  /**
   * At least k logs agree on the owner key and no other key has k votes.
   *
   * @param entry the agreeing logs' entry with the highest seq (its status is that entry's)
   * @param votes how many logs agree
   */
  record Owned(NameEntry entry, int votes) implements Resolution {}

  /**
   * Some log knows the name, but no single key has k votes: it does not resolve.
   *
   * @param votes logs per claimed owner key
   */
  record Contested(Map<VerifyingKey, Integer> votes) implements Resolution {
    public Contested {
      votes = Map.copyOf(votes);
    }
  }

  /** No log holds the name, or every log has it free. */
  record Absent() implements Resolution {}
}
