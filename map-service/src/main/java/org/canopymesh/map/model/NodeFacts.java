package org.canopymesh.map.model;

import java.util.List;

/**
 * What was last known of a node, kept after it stops being seen so that offline and lost nodes keep
 * their name and place.
 *
 * @param island the island it declared, or null
 * @param sources where it was seen: {@code report}, {@code crawler:<url>}
 */
public record NodeFacts(
    String address,
    String name,
    Point location,
    String island,
    String version,
    List<NameEntry> names,
    List<String> sources) {
  public NodeFacts {
    names = List.copyOf(names);
    sources = List.copyOf(sources);
  }
}
