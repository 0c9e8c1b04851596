package org.canopymesh.crawler.crawl;

import java.util.Locale;

/** How a crawl ended (or that it has not yet). */
public enum Outcome {
  RUNNING,
  /** Every discovered node was asked, within the deadline. */
  COMPLETE,
  /** The deadline or the node cap cut it short; what was found is kept. */
  PARTIAL,
  /** It could not start: the local admin endpoint did not answer, or the service stopped. */
  FAILED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
