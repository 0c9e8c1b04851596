package org.canopymesh.map.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds islands: connected components of working local links, joined with the nodes that declare
 * the same island name. A component of one node is an island only when that node declares one.
 *
 * <p>Ids are stable: each new component takes the id of the previous island it shares the most
 * members with (each previous id goes to one component at most), so an island that gains or loses
 * nodes keeps its id, and its derived name. A component that matches none gets an id derived from
 * its smallest member key.
 */
final class IslandFinder {
  record Found(List<Island> islands, Map<String, String> islandOf) {}

  Found find(Map<String, MapNode> nodes, List<MapLink> links, Iterable<Island> previous) {
    List<List<String>> components = components(nodes, links);
    Map<String, Island> before = new HashMap<>();
    Map<String, String> previousOf = new HashMap<>();
    for (Island i : previous) {
      before.put(i.id(), i);
      i.members().forEach(m -> previousOf.put(m, i.id()));
    }
    String[] ids = matchIds(components, previousOf);
    Set<String> taken = new HashSet<>();
    for (String id : ids) {
      if (id != null) {
        taken.add(id);
      }
    }
    Map<String, Integer> localDegree = localDegree(links);
    List<Island> islands = new ArrayList<>();
    Map<String, String> islandOf = new HashMap<>();
    for (int c = 0; c < components.size(); c++) {
      List<String> members = components.get(c);
      String id = ids[c] != null ? ids[c] : freshId(members.get(0), taken);
      Island island = island(id, members, nodes, before.get(id), localDegree);
      islands.add(island);
      members.forEach(m -> islandOf.put(m, id));
    }
    islands.sort(Comparator.comparing(Island::id));
    return new Found(islands, islandOf);
  }

  /** Components worth calling islands, each sorted by key. */
  private static List<List<String>> components(Map<String, MapNode> nodes, List<MapLink> links) {
    UnionFind uf = new UnionFind();
    for (MapLink l : links) {
      if (l.kind() == LinkKind.LOCAL && l.status() != LinkStatus.DOWN) {
        uf.union(l.a(), l.b());
      }
    }
    Map<String, String> firstDeclaring = new HashMap<>();
    for (MapNode n : nodes.values()) {
      if (n.declaredIsland() != null) {
        String name = n.declaredIsland().strip().toLowerCase(Locale.ROOT);
        String first = firstDeclaring.putIfAbsent(name, n.key());
        uf.union(n.key(), first == null ? n.key() : first);
      }
    }
    Map<String, List<String>> byRoot = new TreeMap<>();
    for (String key : uf.keys()) {
      byRoot.computeIfAbsent(uf.find(key), k -> new ArrayList<>()).add(key);
    }
    List<List<String>> out = new ArrayList<>();
    for (List<String> members : byRoot.values()) {
      members.sort(null);
      if (members.size() >= 2 || nodes.get(members.get(0)).declaredIsland() != null) {
        out.add(members);
      }
    }
    out.sort(Comparator.comparing(m -> m.get(0)));
    return out;
  }

  /** Gives each component the previous id it overlaps most, largest overlaps first. */
  private static String[] matchIds(List<List<String>> components, Map<String, String> previousOf) {
    record Overlap(int component, String id, int count) {}
    List<Overlap> overlaps = new ArrayList<>();
    for (int c = 0; c < components.size(); c++) {
      Map<String, Integer> counts = new TreeMap<>();
      for (String m : components.get(c)) {
        String id = previousOf.get(m);
        if (id != null) {
          counts.merge(id, 1, Integer::sum);
        }
      }
      final int component = c;
      counts.forEach((id, n) -> overlaps.add(new Overlap(component, id, n)));
    }
    overlaps.sort(
        Comparator.comparingInt(Overlap::count)
            .reversed()
            .thenComparing(Overlap::id)
            .thenComparingInt(Overlap::component));
    String[] ids = new String[components.size()];
    Set<String> used = new HashSet<>();
    for (Overlap o : overlaps) {
      if (ids[o.component()] == null && used.add(o.id())) {
        ids[o.component()] = o.id();
      }
    }
    return ids;
  }

  private static String freshId(String smallestKey, Set<String> taken) {
    for (int len = 8; ; len++) {
      String id = "i-" + smallestKey.substring(0, Math.min(len, smallestKey.length()));
      if (len >= smallestKey.length()) {
        id = id + "-" + taken.size();
      }
      if (taken.add(id)) {
        return id;
      }
    }
  }

  private static Map<String, Integer> localDegree(List<MapLink> links) {
    Map<String, Integer> degree = new HashMap<>();
    for (MapLink l : links) {
      if (l.kind() == LinkKind.LOCAL) {
        degree.merge(l.a(), 1, Integer::sum);
        degree.merge(l.b(), 1, Integer::sum);
      }
    }
    return degree;
  }

  private Island island(
      String id,
      List<String> members,
      Map<String, MapNode> nodes,
      Island before,
      Map<String, Integer> localDegree) {
    Map<String, Integer> declaredNames = new TreeMap<>();
    List<Point> located = new ArrayList<>();
    int online = 0;
    MapNode hub = null;
    for (String key : members) {
      MapNode n = nodes.get(key);
      if (n.declaredIsland() != null) {
        declaredNames.merge(n.declaredIsland().strip(), 1, Integer::sum);
      }
      if (n.location() != null) {
        located.add(n.location());
      }
      if (n.state() == NodeState.ONLINE) {
        online++;
      }
      if (n.name() != null && (hub == null || HUB.compare(n, hub, localDegree) < 0)) {
        hub = n;
      }
    }
    String name;
    boolean declared = !declaredNames.isEmpty();
    if (declared) {
      name =
          declaredNames.entrySet().stream()
              .max(Map.Entry.<String, Integer>comparingByValue())
              .orElseThrow()
              .getKey();
    } else if (before != null && !before.declared()) {
      name = before.name();
    } else {
      name = hub != null ? hub.name() + " area" : "Island " + id.substring(2, 8);
    }
    return new Island(
        id, name, declared, members, online, Outline.centre(located), Outline.around(located));
  }

  /** The member an island is named after: most local links, then the first name. */
  private interface HubOrder {
    int compare(MapNode x, MapNode y, Map<String, Integer> degree);
  }

  private static final HubOrder HUB =
      (x, y, degree) -> {
        int byDegree =
            Integer.compare(degree.getOrDefault(y.key(), 0), degree.getOrDefault(x.key(), 0));
        return byDegree != 0 ? byDegree : x.name().compareTo(y.name());
      };

  /** Union-find over keys with path halving. */
  private static final class UnionFind {
    private final Map<String, String> parent = new HashMap<>();

    Iterable<String> keys() {
      return new ArrayList<>(parent.keySet());
    }

    String find(String x) {
      parent.putIfAbsent(x, x);
      String p;
      while (!(p = parent.get(x)).equals(x)) {
        String gp = parent.get(p);
        parent.put(x, gp);
        x = gp;
      }
      return x;
    }

    void union(String x, String y) {
      String rx = find(x);
      String ry = find(y);
      if (!rx.equals(ry)) {
        if (rx.compareTo(ry) < 0) {
          parent.put(ry, rx);
        } else {
          parent.put(rx, ry);
        }
      }
    }
  }
}
