package org.canopymesh.map.model;

import java.util.List;
import java.util.Map;

/**
 * Everything the model is computed from.
 *
 * @param crawlers the latest topology of each crawler
 * @param reports the latest accepted report of each key
 * @param known every node's history, by key
 * @param knownLinks every link's history
 */
public record Inputs(
    List<CrawlerView> crawlers,
    Map<String, ReceivedReport> reports,
    Map<String, Known> known,
    Map<LinkId, KnownLink> knownLinks) {}
