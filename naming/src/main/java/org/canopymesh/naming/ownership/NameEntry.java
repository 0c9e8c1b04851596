package org.canopymesh.naming.ownership;

import org.canopymesh.naming.key.VerifyingKey;
import org.canopymesh.naming.record.NameRecord;

/**
 * A name in a name table: the owner's current record, where it is in the log, and its status.
 *
 * @param owner the owner's latest record and its log index
 * @param status at the table's time
 */
public record NameEntry(LoggedRecord owner, NameStatus status) {
  public String name() {
    return record().name();
  }

  public NameRecord record() {
    return owner.record().record();
  }

  public VerifyingKey key() {
    return record().key();
  }
}
