package org.canopymesh.naming.ownership;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.canopymesh.naming.record.InvalidRecordException;
import org.canopymesh.naming.record.RecordRules;
import org.canopymesh.naming.record.SignedRecord;

/**
 * Who owns a name within one log (DESIGN.md "The log, mirrors and witnesses"): the first valid
 * record for a name owns it; its key keeps it by renewing with a higher {@code seq} before the
 * record expires or within the grace period after; after that the name is free. A key holds at most
 * {@code maxNamesPerKey} names that are not free.
 *
 * @param records the zones (and clock skew) of the deployment
 * @param grace how long an expired name stays reserved for its owner
 * @param maxNamesPerKey how many names one key may hold
 */
public record OwnershipRules(RecordRules records, Duration grace, int maxNamesPerKey) {
  public static final Duration DEFAULT_GRACE = Duration.ofDays(7);
  public static final int DEFAULT_MAX_NAMES_PER_KEY = 16;
  public static final OwnershipRules DEFAULT =
      new OwnershipRules(RecordRules.DEFAULT, DEFAULT_GRACE, DEFAULT_MAX_NAMES_PER_KEY);

  public OwnershipRules {
    if (grace.isNegative() || maxNamesPerKey < 1) {
      throw new IllegalArgumentException("grace must not be negative and the name limit positive");
    }
  }

  /** An empty ledger to feed a log's records in order. */
  public Ledger ledger() {
    return new Ledger(this);
  }

  /**
   * The name table of a log whose entries, in order, are {@code entries}, at {@code now}. Entries
   * that are not valid records (which an honest log never holds) are skipped: they own nothing.
   */
  public NameTable table(List<byte[]> entries, Instant now) {
    // Signatures are checked on all cores; the ledger then takes the records in log order.
    List<SignedRecord> parsed =
        IntStream.range(0, entries.size()).parallel().mapToObj(i -> parse(entries.get(i))).toList();
    Ledger ledger = ledger();
    for (int i = 0; i < parsed.size(); i++) {
      if (parsed.get(i) != null) {
        ledger.offer(new LoggedRecord(i, parsed.get(i)));
      }
    }
    return ledger.table(now);
  }

  private static SignedRecord parse(byte[] entry) {
    try {
      return SignedRecord.parse(entry);
    } catch (InvalidRecordException e) {
      return null;
    }
  }
}
