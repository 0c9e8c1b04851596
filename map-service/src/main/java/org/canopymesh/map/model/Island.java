package org.canopymesh.map.model;

import java.util.List;

/**
 * A neighbourhood: a connected component of local links, joined with the nodes that declare the
 * same island. Its id and name survive gaining or losing nodes.
 *
 * @param declared whether the name was declared by its nodes (else derived from them)
 * @param members node keys, sorted
 * @param centre the mean place of its located members, or null
 * @param outline a closed ring around its located members (first point repeated last), or empty
 */
public record Island(
    String id,
    String name,
    boolean declared,
    List<String> members,
    int online,
    Point centre,
    List<Point> outline) {
  public Island {
    members = List.copyOf(members);
    outline = List.copyOf(outline);
  }
}
