package org.canopymesh.agent.names;

import java.time.Instant;
import java.util.Map;

/** What the verified copy says about one name, and why it does not resolve when it does not. */
public sealed interface Lookup {
  /** The name resolves. */
  record Resolved(ServedName name) implements Lookup {}

  /**
   * The mirrors disagree: no owner has the quorum.
   *
   * @param votes mirrors per claimed owner's address
   */
  record Contested(Map<String, Integer> votes) implements Lookup {
    public Contested {
      votes = Map.copyOf(votes);
    }
  }

  /** The quorum's owner record has expired (it may be in its grace period). */
  record Expired(Instant expired) implements Lookup {}

  /** No mirror in the quorum holds the name. */
  record Absent() implements Lookup {}
}
