package org.canopymesh.map.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.canopymesh.naming.report.ReportNote;

/**
 * Merges what crawlers, reports and history say of each node. A node's own report wins for what it
 * reports (place, island); the crawlers' NodeInfo gives name and version; history fills in what
 * nobody says any more.
 */
final class NodeMerge {
  static final String REPORT = "report";

  private final Rules rules;
  private final Instant now;

  NodeMerge(Rules rules, Instant now) {
    this.rules = rules;
    this.now = now;
  }

  /** Every node to show, by key. */
  Map<String, MapNode> merge(Inputs in) {
    Map<String, List<Crawled>> crawled = byKey(in.crawlers());
    Set<String> keys = new TreeSet<>(crawled.keySet());
    keys.addAll(in.reports().keySet());
    keys.addAll(in.known().keySet());
    Map<String, MapNode> nodes = Merge.index(keys.size());
    for (String key : keys) {
      MapNode n =
          node(
              key,
              crawled.getOrDefault(key, List.of()),
              in.reports().get(key),
              in.known().get(key));
      if (n != null) {
        nodes.put(key, n);
      }
    }
    return nodes;
  }

  private record Crawled(CrawledNode node, CrawlerView view) {}

  private Map<String, List<Crawled>> byKey(List<CrawlerView> views) {
    Map<String, List<Crawled>> out = Merge.index(views.isEmpty() ? 0 : views.get(0).nodes().size());
    for (CrawlerView v : views) {
      for (CrawledNode n : v.nodes()) {
        out.computeIfAbsent(n.key(), k -> new ArrayList<>(1)).add(new Crawled(n, v));
      }
    }
    return out;
  }

  private MapNode node(String key, List<Crawled> crawled, ReceivedReport report, Known known) {
    NodeFacts old = known == null ? null : known.facts();
    CrawledNode latest = null;
    Instant lastSeen = known == null ? null : known.lastSeen();
    boolean current = false;
    List<String> sources = new ArrayList<>();
    Map<String, NameEntry> names = new LinkedHashMap<>();
    for (Crawled c : crawled) {
      if (latest == null || c.node().lastSeen().isAfter(latest.lastSeen())) {
        latest = c.node();
      }
      lastSeen = Merge.later(lastSeen, c.node().lastSeen());
      current |= Duration.between(c.view().fetchedAt(), now).compareTo(rules.offlineAfter()) <= 0;
      sources.add(c.view().source());
      for (NameEntry e : c.view().names().getOrDefault(key, List.of())) {
        names.merge(e.name(), e, (x, y) -> x.expires().isAfter(y.expires()) ? x : y);
      }
    }
    ReportNote r = report == null ? null : report.report();
    if (report != null) {
      lastSeen = Merge.later(lastSeen, report.receivedAt());
      sources.add(REPORT);
    }
    if (lastSeen == null) {
      return null;
    }
    Duration age = Duration.between(lastSeen, now);
    if (!current && age.compareTo(rules.forgetAfter()) > 0) {
      return null;
    }
    if (names.isEmpty() && old != null) {
      old.names().forEach(e -> names.put(e.name(), e));
    }
    names.values().removeIf(e -> !e.expires().isAfter(now));
    if (sources.isEmpty() && old != null) {
      sources.addAll(old.sources());
    }
    String address =
        latest != null
            ? latest.address()
            : r != null ? r.address().toString() : old == null ? null : old.address();
    Point location = null;
    if (r != null && r.location().isPresent()) {
      location = new Point(r.location().get().lat(), r.location().get().lon());
    } else if (latest != null && latest.location() != null) {
      location = latest.location();
    } else if (old != null) {
      location = old.location();
    }
    String island =
        r != null && r.island().isPresent()
            ? r.island().get()
            : latest != null && latest.island() != null
                ? latest.island()
                : old == null ? null : old.island();
    Instant firstSeen = known == null ? lastSeen : known.firstSeen();
    return new MapNode(
        key,
        address,
        latest != null && latest.name() != null ? latest.name() : old == null ? null : old.name(),
        location,
        null,
        island,
        Merge.state(rules, age, current),
        Duration.between(firstSeen, now).compareTo(rules.newFor()) < 0,
        firstSeen,
        lastSeen,
        latest != null && latest.version() != null
            ? latest.version()
            : old == null ? null : old.version(),
        List.copyOf(names.values()),
        sources.stream().distinct().sorted().toList());
  }
}
