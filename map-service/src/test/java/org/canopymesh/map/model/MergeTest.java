package org.canopymesh.map.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.canopymesh.map.testing.Reports;
import org.canopymesh.naming.report.LinkState;
import org.canopymesh.naming.report.PeerKind;
import org.canopymesh.naming.report.SignedReport;
import org.junit.jupiter.api.Test;

class MergeTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  final Merge merge = new Merge(Rules.defaults());
  final List<CrawlerView> crawlers = new ArrayList<>();
  final Map<String, ReceivedReport> reports = new HashMap<>();
  final Map<String, Known> known = new HashMap<>();

  private Snapshot snapshot(Iterable<Island> previous, Instant now) {
    return merge.snapshot(new Inputs(crawlers, reports, known, Map.of()), previous, now, 1);
  }

  private void report(Reports.Node n, Instant receivedAt) {
    String note = n.report(Instant.ofEpochSecond(receivedAt.getEpochSecond()));
    reports.put(n.key(), new ReceivedReport(SignedReport.parse(note).report(), receivedAt));
  }

  private static CrawledNode crawled(Reports.Node n, String name, Point at, String island) {
    return new CrawledNode(n.key(), n.address(), name, at, island, "0.5.12", NOW);
  }

  private static Reports.Node[] ring(int size) {
    Reports.Node[] nodes = new Reports.Node[size];
    for (int i = 0; i < size; i++) {
      nodes[i] = Reports.node().at(52.5 + i * 0.001, 13.4);
    }
    for (int i = 0; i < size; i++) {
      nodes[i].peer(nodes[(i + 1) % size], PeerKind.LOCAL, LinkState.UP, null);
    }
    return nodes;
  }

  @Test
  void islandKeepsItsIdAndNameWhenItGainsAndLosesNodes() {
    Reports.Node[] five = ring(5);
    for (Reports.Node n : five) {
      report(n, NOW);
    }
    Snapshot first = snapshot(List.of(), NOW);
    assertEquals(1, first.islands().size());
    Island before = first.islands().get(0);

    reports.remove(five[0].key());
    reports.remove(five[1].key());
    Reports.Node newcomer = Reports.node().at(52.51, 13.41);
    newcomer.peer(five[3], PeerKind.LOCAL, LinkState.UP, null);
    report(newcomer, NOW);
    Snapshot second = snapshot(first.islands(), NOW);

    Island after =
        second.islands().stream()
            .filter(i -> i.members().contains(newcomer.key()))
            .findFirst()
            .orElseThrow();
    assertEquals(before.id(), after.id());
    assertEquals(before.name(), after.name());
  }

  @Test
  void splitIslandGivesTheOldIdToTheLargerPart() {
    Reports.Node[] six = ring(6);
    for (Reports.Node n : six) {
      report(n, NOW);
    }
    Snapshot first = snapshot(List.of(), NOW);
    String id = first.islands().get(0).id();
    // Cut the ring into {0,1} and {2,3,4,5}: node 1 and node 5 drop their links to the others.
    six[1].clearLinks();
    six[5].clearLinks();
    six[0].clearLinks().peer(six[1], PeerKind.LOCAL, LinkState.UP, null);
    six[4].clearLinks().peer(six[3], PeerKind.LOCAL, LinkState.UP, null);
    six[2].clearLinks().peer(six[3], PeerKind.LOCAL, LinkState.UP, null);
    six[5].peer(six[4], PeerKind.LOCAL, LinkState.UP, null);
    for (Reports.Node n : six) {
      report(n, NOW);
    }
    Snapshot second = snapshot(first.islands(), NOW);
    assertEquals(2, second.islands().size());
    Island larger =
        second.islands().stream().filter(i -> i.members().size() == 4).findFirst().orElseThrow();
    assertEquals(id, larger.id());
    assertNotEquals(
        id, second.islands().stream().filter(i -> i.members().size() == 2).findFirst().get().id());
  }

  @Test
  void nodesDeclaringTheSameIslandJoinItWithoutLocalLinks() {
    Reports.Node a = Reports.node().island("Kreuzberg").at(52.49, 13.40);
    Reports.Node b = Reports.node().island("kreuzberg").at(52.50, 13.41);
    Reports.Node c = Reports.node().island("Neukölln");
    report(a, NOW);
    report(b, NOW);
    report(c, NOW);
    Snapshot s = snapshot(List.of(), NOW);
    assertEquals(2, s.islands().size(), "a lone node that declares an island has one");
    Island k = s.island(s.node(a.key()).orElseThrow().island()).orElseThrow();
    assertTrue(k.declared());
    assertEquals("Kreuzberg", k.name());
    assertEquals(List.of(a.key(), b.key()).stream().sorted().toList(), k.members());
    Island n = s.island(s.node(c.key()).orElseThrow().island()).orElseThrow();
    assertNull(n.centre(), "no member is located: no place to draw");
  }

  @Test
  void overlayLinksMakeNoIsland() {
    Reports.Node a = Reports.node();
    Reports.Node b = Reports.node();
    a.peer(b, PeerKind.OVERLAY, LinkState.UP, Duration.ofMillis(40));
    report(a, NOW);
    report(b, NOW);
    Snapshot s = snapshot(List.of(), NOW);
    assertTrue(s.islands().isEmpty());
    MapLink l = s.links().get(0);
    assertEquals(LinkKind.OVERLAY, l.kind());
    assertEquals(40.0, l.latencyMs());
  }

  @Test
  void linkIsLiveThenStaleAfterTwoMissedReportsAndDownWhenReportedDown() {
    Reports.Node a = Reports.node();
    Reports.Node b = Reports.node();
    a.peer(b, PeerKind.LOCAL, LinkState.UP, null);
    report(a, NOW);
    report(b, NOW);
    assertEquals(LinkStatus.LIVE, snapshot(List.of(), NOW).links().get(0).status());
    assertEquals(
        LinkStatus.STALE, snapshot(List.of(), NOW.plusSeconds(61)).links().get(0).status());
    a.clearLinks().peer(b, PeerKind.LOCAL, LinkState.DOWN, null);
    report(a, NOW);
    Snapshot down = snapshot(List.of(), NOW);
    assertEquals(LinkStatus.DOWN, down.links().get(0).status());
    assertTrue(down.islands().isEmpty(), "a link that is down joins nothing");
  }

  @Test
  void layerTwoNeighboursAreMatchedToNodesThroughTheirMacs() {
    Reports.Node a = Reports.node().mac("02:00:00:00:00:0a");
    Reports.Node b = Reports.node().mac("02:00:00:00:00:0b");
    a.neighbour("02:00:00:00:00:0b", 0.8, Duration.ofMillis(2));
    b.neighbour("02:00:00:00:00:0a", 0.6, null);
    report(a, NOW);
    report(b, NOW);
    MapLink l = snapshot(List.of(), NOW).links().get(0);
    assertEquals(LinkKind.LOCAL, l.kind());
    assertEquals(0.7, l.quality());
    assertEquals(2.0, l.latencyMs());
  }

  @Test
  void nodeStateFollowsAgeAndNewness() {
    Reports.Node n = Reports.node();
    crawlers.add(
        new CrawlerView(
            "crawler:x", NOW, List.of(crawled(n, "n", null, null)), List.of(), Map.of()));
    MapNode now = snapshot(List.of(), NOW).node(n.key()).orElseThrow();
    assertEquals(NodeState.ONLINE, now.state());
    assertTrue(now.isNew());
    MapNode later = snapshot(List.of(), NOW.plus(Duration.ofMinutes(31))).node(n.key()).get();
    assertEquals(NodeState.OFFLINE, later.state());
    MapNode gone = snapshot(List.of(), NOW.plus(Duration.ofDays(4))).node(n.key()).get();
    assertEquals(NodeState.LOST, gone.state());
    assertFalse(gone.isNew());
    assertTrue(snapshot(List.of(), NOW.plus(Duration.ofDays(31))).node(n.key()).isEmpty());
  }

  @Test
  void crawlersAreMergedWithoutDuplicatesAndTheNodesOwnReportWinsForItsPlace() {
    Reports.Node n = Reports.node().at(52.0, 13.0);
    Point crawledAt = new Point(10, 10);
    crawlers.add(
        new CrawlerView(
            "crawler:a", NOW, List.of(crawled(n, "name", crawledAt, null)), List.of(), Map.of()));
    crawlers.add(
        new CrawlerView(
            "crawler:b", NOW, List.of(crawled(n, "name", crawledAt, null)), List.of(), Map.of()));
    assertEquals(1, snapshot(List.of(), NOW).nodes().size());
    assertEquals(crawledAt, snapshot(List.of(), NOW).nodes().get(0).location());
    report(n, NOW);
    MapNode merged = snapshot(List.of(), NOW).nodes().get(0);
    assertEquals(new Point(52.0, 13.0), merged.location());
    assertEquals(List.of("crawler:a", "crawler:b", "report"), merged.sources());
  }

  @Test
  void reportedPeersNobodyElseHasSeenAreNotDrawn() {
    Reports.Node a = Reports.node();
    Reports.Node ghost = Reports.node();
    a.peer(ghost, PeerKind.LOCAL, LinkState.UP, null);
    report(a, NOW);
    Snapshot s = snapshot(List.of(), NOW);
    assertEquals(1, s.nodes().size());
    assertTrue(s.links().isEmpty());
  }

  @Test
  void outlineIsAClosedRingAroundEveryMember() {
    List<Point> members = List.of(new Point(52.5, 13.4), new Point(52.51, 13.42));
    List<Point> ring = Outline.around(members);
    assertEquals(ring.get(0), ring.get(ring.size() - 1));
    for (Point p : members) {
      assertTrue(inside(p, ring), p + " is inside the outline");
    }
  }

  private static boolean inside(Point p, List<Point> ring) {
    boolean in = false;
    for (int i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      Point a = ring.get(i);
      Point b = ring.get(j);
      if ((a.lat() > p.lat()) != (b.lat() > p.lat())
          && p.lon() < (b.lon() - a.lon()) * (p.lat() - a.lat()) / (b.lat() - a.lat()) + a.lon()) {
        in = !in;
      }
    }
    return in;
  }
}
