package org.canopymesh.crawler.crawl;

import java.util.Locale;

/** Whether a node answered the crawl's remote calls. */
public enum Responded {
  /** The node the crawler's admin endpoint belongs to. */
  LOCAL,
  /** It answered at least one remote call. */
  YES,
  /** Seen only as a neighbour's peer: it did not answer. */
  NO;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
