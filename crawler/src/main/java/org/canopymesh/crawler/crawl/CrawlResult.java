package org.canopymesh.crawler.crawl;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What one crawl found.
 *
 * @param startedAt when it began
 * @param finishedAt when it ended
 * @param outcome complete, partial or failed
 * @param localKey the key of the node whose admin endpoint was used, or null if it never answered
 * @param adminVersion the dialect the local node spoke, e.g. {@code 0.4.7}
 * @param nodes every node seen, hidden ones included (the store drops what they ask)
 * @param links every peering seen
 * @param errors the first failed calls (bounded), for the record
 * @param errorCount all failed calls
 * @param calls all admin calls made
 * @param failure why the crawl failed, or null
 */
public record CrawlResult(
    Instant startedAt,
    Instant finishedAt,
    Outcome outcome,
    String localKey,
    String adminVersion,
    List<NodeObservation> nodes,
    Set<Link> links,
    List<CrawlError> errors,
    int errorCount,
    int calls,
    String failure) {}
