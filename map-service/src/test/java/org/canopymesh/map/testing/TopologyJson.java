package org.canopymesh.map.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Builds a crawler's {@code GET /api/v1/topology} answer, in the crawler's shape. */
public final class TopologyJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ObjectNode root = JSON.createObjectNode();
  private final ArrayNode nodes = root.putArray("nodes");
  private final ArrayNode links = root.putArray("links");
  private final ArrayNode records = root.putArray("records");
  private final Instant seen;

  public TopologyJson(Instant seen) {
    this.seen = seen;
    root.putObject("crawl").put("id", 1).put("status", "complete");
  }

  /** A node; {@code lat}/{@code lon} null for one that publishes no place. */
  public TopologyJson node(Reports.Node n, String name, Double lat, Double lon, String island) {
    ObjectNode o = nodes.addObject();
    o.put("key", n.key()).put("address", n.address()).put("responded", "yes");
    if (name != null) {
      o.put("name", name);
    }
    if (lat != null) {
      o.putObject("location").put("lat", lat).put("lon", lon);
    }
    if (island != null) {
      o.put("island", island);
    }
    o.put("firstSeen", seen.toString()).put("lastSeen", seen.toString());
    return this;
  }

  public TopologyJson link(Reports.Node a, Reports.Node b) {
    links.addObject().put("a", a.key()).put("b", b.key());
    return this;
  }

  /** A harvested record, as the crawler lists it. */
  public TopologyJson record(Reports.Node at, String note, boolean valid) {
    records.addObject().put("foundAt", at.key()).put("valid", valid).put("note", note);
    return this;
  }

  /** Raw JSON added to the nodes array, for hostile cases. */
  public TopologyJson rawNode(String json) {
    try {
      nodes.add(JSON.readTree(json));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
    return this;
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
