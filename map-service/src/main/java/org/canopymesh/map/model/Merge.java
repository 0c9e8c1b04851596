package org.canopymesh.map.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a snapshot from the inputs: merges nodes and links across sources, judges their state by
 * age, and finds the islands. Pure: the same inputs, previous islands and time give the same
 * snapshot.
 */
public final class Merge {
  private final Rules rules;

  public Merge(Rules rules) {
    this.rules = rules;
  }

  /**
   * The map at {@code now}.
   *
   * @param previous the islands of the previous snapshot, whose ids and names carry over
   */
  public Snapshot snapshot(Inputs in, Iterable<Island> previous, Instant now, long version) {
    Map<String, MapNode> nodes = new NodeMerge(rules, now).merge(in);
    List<MapLink> links = new LinkMerge(rules, now).merge(in, nodes.keySet());
    IslandFinder.Found found = new IslandFinder().find(nodes, links, previous);
    List<MapNode> withIslands = new ArrayList<>(nodes.size());
    for (MapNode n : nodes.values()) {
      withIslands.add(n.withIsland(found.islandOf().get(n.key())));
    }
    withIslands.sort(Comparator.comparing(MapNode::key));
    return new Snapshot(version, now, withIslands, links, found.islands());
  }

  /** How a node's age decides its state. */
  static NodeState state(Rules rules, Duration age, boolean inCurrentCrawl) {
    if (inCurrentCrawl || age.compareTo(rules.offlineAfter()) <= 0) {
      return NodeState.ONLINE;
    }
    return age.compareTo(rules.lostAfter()) > 0 ? NodeState.LOST : NodeState.OFFLINE;
  }

  static Instant later(Instant x, Instant y) {
    if (x == null) {
      return y;
    }
    return y == null || x.isAfter(y) ? x : y;
  }

  static <K, V> Map<K, V> index(int expected) {
    return new HashMap<>(Math.max(16, expected * 4 / 3 + 1));
  }
}
