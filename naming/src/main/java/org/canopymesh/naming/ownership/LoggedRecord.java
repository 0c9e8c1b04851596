package org.canopymesh.naming.ownership;

import org.canopymesh.naming.record.SignedRecord;

/**
 * A verified record and its position in one log.
 *
 * @param index the leaf index in the log
 * @param record the record that entry holds
 */
public record LoggedRecord(long index, SignedRecord record) {
  public LoggedRecord {
    if (index < 0) {
      throw new IllegalArgumentException("a log index is not negative");
    }
  }
}
