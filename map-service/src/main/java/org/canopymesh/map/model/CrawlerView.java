package org.canopymesh.map.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The latest topology one crawler served, already checked and bounded.
 *
 * @param source {@code crawler:<base url>}
 * @param fetchedAt when this topology was fetched (or last confirmed unchanged)
 * @param nodes the nodes of its latest crawl (hidden nodes are never in it)
 * @param links the links of its latest crawl
 * @param names valid names by node key, from the records the crawl harvested
 */
public record CrawlerView(
    String source,
    Instant fetchedAt,
    List<CrawledNode> nodes,
    List<LinkId> links,
    Map<String, List<NameEntry>> names) {
  public CrawlerView {
    nodes = List.copyOf(nodes);
    links = List.copyOf(links);
    names = Map.copyOf(names);
  }
}
