package org.canopymesh.map.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.canopymesh.map.model.Island;
import org.canopymesh.map.model.LinkKind;
import org.canopymesh.map.model.LinkStatus;
import org.canopymesh.map.model.MapLink;
import org.canopymesh.map.model.MapNode;
import org.canopymesh.map.model.NodeState;
import org.canopymesh.map.model.Point;

/**
 * The JSON shapes (a {@code fresh} component is {@code new} in JSON, which Java cannot name). of
 * the API and of events (see {@code map-service/API.md});
 */
public final class Views {
  private Views() {}

  /** A node in the graph, lists and {@code node} events. */
  public record NodeSummary(
      String key,
      String address,
      String name,
      NodeState state,
      @JsonProperty("new") boolean fresh,
      String island,
      Double lat,
      Double lon,
      Instant firstSeen,
      Instant lastSeen) {
    public static NodeSummary of(MapNode n) {
      Point p = n.location();
      return new NodeSummary(
          n.key(),
          n.address(),
          n.name(),
          n.state(),
          n.isNew(),
          n.island(),
          p == null ? null : p.lat(),
          p == null ? null : p.lon(),
          n.firstSeen(),
          n.lastSeen());
    }
  }

  /** A link in the graph and {@code link} events. */
  public record LinkView(
      String a, String b, LinkKind kind, LinkStatus state, Double quality, Double latencyMs) {
    public static LinkView of(MapLink l) {
      return new LinkView(l.a(), l.b(), l.kind(), l.status(), l.quality(), l.latencyMs());
    }
  }

  /** An island in lists and {@code island} events; places as {@code [lon, lat]}. */
  public record IslandView(
      String id,
      String name,
      boolean declared,
      int size,
      int online,
      List<String> nodes,
      double[] centre,
      List<double[]> outline) {
    public static IslandView of(Island i) {
      return new IslandView(
          i.id(),
          i.name(),
          i.declared(),
          i.members().size(),
          i.online(),
          i.members(),
          i.centre() == null ? null : lonLat(i.centre()),
          i.outline().isEmpty() ? null : i.outline().stream().map(Views::lonLat).toList());
    }
  }

  /** An island in the graph: no members or shape. */
  public record IslandRef(String id, String name, boolean declared, int size) {
    public static IslandRef of(Island i) {
      return new IslandRef(i.id(), i.name(), i.declared(), i.members().size());
    }
  }

  /** {@code GET /api/v1/graph}. */
  public record Graph(
      long version,
      long eventId,
      List<NodeSummary> nodes,
      List<LinkView> links,
      List<IslandRef> islands) {}

  /** {@code GET /api/v1/stats}. */
  public record Stats(NodeCounts nodes, int islands, LinkCounts links, Instant generatedAt) {}

  public record NodeCounts(
      int total, int online, int offline, int lost, @JsonProperty("new") int fresh) {}

  public record LinkCounts(int total, int live, int stale, int down, int local, int overlay) {}

  /** {@code GET /api/v1/settings}. */
  public record Settings(String tileUrl, String tileAttribution, String reportInterval) {}

  static double[] lonLat(Point p) {
    return new double[] {p.lon(), p.lat()};
  }
}
