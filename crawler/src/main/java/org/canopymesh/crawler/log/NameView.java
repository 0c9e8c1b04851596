package org.canopymesh.crawler.log;

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
}
