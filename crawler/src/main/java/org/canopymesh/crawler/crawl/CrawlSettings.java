package org.canopymesh.crawler.crawl;

import java.time.Duration;
import org.canopymesh.naming.record.RecordRules;

/**
 * How one crawl behaves.
 *
 * @param concurrency admin calls in flight at once
 * @param deadline total time; a crawl past it stops and is stored as partial
 * @param maxNodes the most nodes one crawl records; past it the crawl is partial
 * @param records the rules harvested name records are checked with
 * @param maxErrorsKept failed calls kept with their message (all are counted)
 */
public record CrawlSettings(
    int concurrency, Duration deadline, int maxNodes, RecordRules records, int maxErrorsKept) {
  public CrawlSettings {
    if (concurrency < 1 || maxNodes < 1 || deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("crawl settings must be positive");
    }
  }
}
