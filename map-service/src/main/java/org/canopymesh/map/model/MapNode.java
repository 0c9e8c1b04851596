package org.canopymesh.map.model;

import java.time.Instant;
import java.util.List;

/**
 * A node as the map shows it, merged from every source.
 *
 * @param location null when the node publishes none (it then appears in the graph and lists only)
 * @param island the id of its island, or null
 * @param declaredIsland the island name it declares itself, or null
 * @param isNew first seen within {@code new-for}
 * @param sources where it was seen: {@code report}, {@code crawler:<url>}
 */
public record MapNode(
    String key,
    String address,
    String name,
    Point location,
    String island,
    String declaredIsland,
    NodeState state,
    boolean isNew,
    Instant firstSeen,
    Instant lastSeen,
    String version,
    List<NameEntry> names,
    List<String> sources) {

  MapNode withIsland(String id) {
    return new MapNode(
        key,
        address,
        name,
        location,
        id,
        declaredIsland,
        state,
        isNew,
        firstSeen,
        lastSeen,
        version,
        names,
        sources);
  }
}
