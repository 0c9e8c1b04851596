package org.canopymesh.crawler.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the topology API. */
public final class Views {
  private Views() {}

  /** A crawl run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Crawl(
      long id,
      String status,
      Instant startedAt,
      Instant finishedAt,
      Long durationMs,
      String adminEndpoint,
      String instance,
      String localKey,
      String adminVersion,
      Counts counts,
      Progress progress,
      String failure,
      List<CrawlRun.ErrorSample> errorSample) {}

  /** What a finished crawl found. */
  public record Counts(
      int nodes,
      int responded,
      int links,
      int records,
      int invalidRecords,
      int hidden,
      int calls,
      int errors) {}

  /** A running crawl's counters. */
  public record Progress(
      int nodesFound, int callsInFlight, int callsQueued, int callsDone, int errors) {}

  /** Where a node says it is. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Location(Double lat, Double lon, String text) {}

  /** A node in a topology. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Node(
      String key,
      String address,
      String name,
      Location location,
      String island,
      String version,
      String responded,
      Instant firstSeen,
      Instant lastSeen) {}

  /** A link in a topology. */
  public record Link(String a, String b, Instant firstSeen, Instant lastSeen) {}

  /** A name record harvested from NodeInfo. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Record(
      String name,
      String foundAt,
      boolean valid,
      String reason,
      String detail,
      String note,
      Instant firstSeen,
      Instant lastSeen) {}

  /** {@code GET /api/v1/topology}. */
  public record Topology(Crawl crawl, List<Node> nodes, List<Link> links, List<Record> records) {}

  /** {@code GET /api/v1/nodes/{key}}: a node, its peers and records, and its raw NodeInfo. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodeDetail(
      Node node, List<Link> links, List<Record> records, Object nodeInfo, long lastCrawl) {}
}
