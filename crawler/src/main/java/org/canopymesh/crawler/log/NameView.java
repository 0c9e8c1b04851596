package org.canopymesh.crawler.log;

import java.time.Instant;
import java.util.List;
import org.canopymesh.naming.ownership.LoggedRecord;

/**
 * A name as of a checkpoint: the record that owns it in this log, and the live claims by other keys
 * that this log holds because another mirror saw them first.
 *
 * @param owner the owner's latest record and its index
 * @param rivals other keys' latest records for the name, each in this log
 */
public record NameView(LoggedRecord owner, List<LoggedRecord> rivals) {
  public NameView {
    rivals = List.copyOf(rivals);
  }

  /** The rival claims that have not expired at {@code now}: while there is one, it is contested. */
  public List<LoggedRecord> liveRivals(Instant now) {
    return rivals.stream().filter(r -> now.isBefore(r.record().record().expires())).toList();
  }
}
