package org.canopymesh.map.live;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.canopymesh.map.model.Island;
import org.canopymesh.map.model.LinkId;
import org.canopymesh.map.model.MapLink;
import org.canopymesh.map.model.MapNode;
import org.canopymesh.map.model.Snapshot;
import org.canopymesh.map.view.Views;

/**
 * What changed between two snapshots, as events. A node's last-seen time alone is not a change (it
 * moves with every report); its state, name, place or island is.
 */
final class Diff {
  /** Past this many changes one {@code reset} is cheaper for every client than the changes. */
  static final int MAX_CHANGES = 5_000;

  static final String ADDED = "added";
  static final String UPDATED = "updated";
  static final String REMOVED = "removed";

  private Diff() {}

  record NodeChange(String change, @JsonUnwrapped Views.NodeSummary node) {}

  record LinkChange(String change, @JsonUnwrapped Views.LinkView link) {}

  record IslandChange(String change, @JsonUnwrapped Views.IslandView island) {}

  record Removed(String change, String key) {}

  record RemovedLink(String change, String a, String b) {}

  record RemovedIsland(String change, String id) {}

  static List<Change> between(Snapshot before, Snapshot after) {
    List<Change> out = new ArrayList<>();
    nodes(before, after, out);
    links(before, after, out);
    islands(before, after, out);
    if (out.size() > MAX_CHANGES) {
      return List.of(new Change("reset", Map.of()));
    }
    return out;
  }

  private static void nodes(Snapshot before, Snapshot after, List<Change> out) {
    for (MapNode n : after.nodes()) {
      MapNode old = before.node(n.key()).orElse(null);
      if (old == null || !sameLook(old, n)) {
        out.add(
            new Change(
                "node", new NodeChange(old == null ? ADDED : UPDATED, Views.NodeSummary.of(n))));
      }
    }
    for (MapNode old : before.nodes()) {
      if (after.node(old.key()).isEmpty()) {
        out.add(new Change("node", new Removed(REMOVED, old.key())));
      }
    }
  }

  private static boolean sameLook(MapNode x, MapNode y) {
    return x.state() == y.state()
        && x.isNew() == y.isNew()
        && Objects.equals(x.name(), y.name())
        && Objects.equals(x.location(), y.location())
        && Objects.equals(x.island(), y.island())
        && Objects.equals(x.address(), y.address());
  }

  private static void links(Snapshot before, Snapshot after, List<Change> out) {
    Map<LinkId, MapLink> old = index(before.links());
    Map<LinkId, MapLink> now = index(after.links());
    for (MapLink l : after.links()) {
      MapLink o = old.get(l.id());
      Views.LinkView view = Views.LinkView.of(l);
      if (o == null || !Views.LinkView.of(o).equals(view)) {
        out.add(new Change("link", new LinkChange(o == null ? ADDED : UPDATED, view)));
      }
    }
    for (MapLink o : before.links()) {
      if (!now.containsKey(o.id())) {
        out.add(new Change("link", new RemovedLink(REMOVED, o.a(), o.b())));
      }
    }
  }

  private static Map<LinkId, MapLink> index(List<MapLink> links) {
    Map<LinkId, MapLink> m = new java.util.HashMap<>(links.size() * 2);
    links.forEach(l -> m.put(l.id(), l));
    return m;
  }

  private static void islands(Snapshot before, Snapshot after, List<Change> out) {
    for (Island i : after.islands()) {
      Island o = before.island(i.id()).orElse(null);
      if (o == null || !o.equals(i)) {
        out.add(
            new Change(
                "island", new IslandChange(o == null ? ADDED : UPDATED, Views.IslandView.of(i))));
      }
    }
    for (Island o : before.islands()) {
      if (after.island(o.id()).isEmpty()) {
        out.add(new Change("island", new RemovedIsland(REMOVED, o.id())));
      }
    }
  }
}
