package org.canopymesh.crawler.log;

import org.canopymesh.naming.ownership.Decision;

/** What became of a record offered to the log. */
public sealed interface Appended {
  /** Newly appended at {@code index}. */
  record Added(long index) implements Appended {}

  /** The same bytes were already in the log, at {@code index}. */
  record Present(long index) implements Appended {}

  /** Not appended: the ownership rules refuse it (another owner, stale, key limit, zone). */
  record Refused(Decision decision) implements Appended {}
}
