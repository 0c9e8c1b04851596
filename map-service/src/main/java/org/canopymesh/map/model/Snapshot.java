package org.canopymesh.map.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The map at one moment: every visible node, link and island, immutable. Each recomputation makes a
 * new snapshot with a higher version, which is also the ETag of what is rendered from it.
 */
public final class Snapshot {
  private final long version;
  private final Instant at;
  private final List<MapNode> nodes;
  private final List<MapLink> links;
  private final List<Island> islands;
  private final Map<String, MapNode> byKey = new HashMap<>();
  private final Map<String, List<MapLink>> byNode = new HashMap<>();
  private final Map<String, Island> byId = new HashMap<>();
  private final Map<String, String> keyOfAddress = new HashMap<>();

  Snapshot(
      long version, Instant at, List<MapNode> nodes, List<MapLink> links, List<Island> islands) {
    this.version = version;
    this.at = at;
    this.nodes = List.copyOf(nodes);
    this.links = List.copyOf(links);
    this.islands = List.copyOf(islands);
    for (MapNode n : nodes) {
      byKey.put(n.key(), n);
      if (n.address() != null) {
        keyOfAddress.put(n.address(), n.key());
      }
    }
    for (MapLink l : links) {
      byNode.computeIfAbsent(l.a(), k -> new ArrayList<>()).add(l);
      byNode.computeIfAbsent(l.b(), k -> new ArrayList<>()).add(l);
    }
    islands.forEach(i -> byId.put(i.id(), i));
  }

  /**
   * The map before the first computation (version 0): no nodes, and the islands stored before a
   * restart, so that their ids and names carry over.
   */
  public static Snapshot seed(Instant at, List<Island> islands) {
    return new Snapshot(0, at, List.of(), List.of(), islands);
  }

  public long version() {
    return version;
  }

  public Instant at() {
    return at;
  }

  public List<MapNode> nodes() {
    return nodes;
  }

  public List<MapLink> links() {
    return links;
  }

  public List<Island> islands() {
    return islands;
  }

  public Optional<MapNode> node(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** The node with this overlay address (canonical form). */
  public Optional<MapNode> nodeAt(String address) {
    return Optional.ofNullable(keyOfAddress.get(address)).map(byKey::get);
  }

  /** The links of a node. */
  public List<MapLink> linksOf(String key) {
    return byNode.getOrDefault(key, List.of());
  }

  public Optional<Island> island(String id) {
    return Optional.ofNullable(byId.get(id));
  }
}
