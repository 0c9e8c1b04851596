package org.canopymesh.crawler.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.canopymesh.crawler.admin.AdminEndpoint;
import org.canopymesh.crawler.admin.AdminLimits;
import org.canopymesh.crawler.admin.YggdrasilAdmin;
import org.canopymesh.crawler.testing.TestRecords;
import org.canopymesh.crawler.testing.YggdrasilOverlay;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.RecordRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crawl engine against a real overlay of 28 {@code yggdrasil} processes on loopback: chains, a
 * ring, a hub with leaves, a cycle across the whole overlay, a node with NodeInfoPrivacy, a node
 * that asks to be hidden, valid and tampered name records.
 */
class CrawlOverlayIT {
  static final int NODES = 28;
  static final int PRIVATE = 26;
  static final int HIDDEN = 27;
  static final int TAMPERED = 5;
  static final int[] LEAVES = {15, 16, 17, 18, 19};

  @TempDir Path dir;
  YggdrasilOverlay overlay;
  Vertx vertx;
  ScheduledExecutorService timer;
  final ObjectMapper json = new ObjectMapper();
  final Set<Set<Integer>> linked = new HashSet<>();

  void startOverlay() {
    YggdrasilOverlay.Builder b = YggdrasilOverlay.builder(dir).nodes(NODES);
    link(b, 0, 1, 2, 3, 4, 5, 6, 7); // a chain
    ring(b, 8, 9, 10, 11, 12, 13); // a ring hanging off the chain
    link(b, 3, 8);
    for (int leaf : LEAVES) { // a hub with leaves
      link(b, 14, leaf);
    }
    link(b, 7, 14);
    link(b, 13, 20, 21, 22, 23, 24, 25, 0); // a long cycle back to the local node
    link(b, 19, PRIVATE);
    link(b, 22, HIDDEN);
    for (int i = 0; i < NODES; i++) {
      SigningKey key = SigningKey.generate(new java.security.SecureRandom());
      b.key(i, key).nodeInfo(i, nodeInfo(i, key));
    }
    b.privacy(PRIVATE, true);
    overlay = b.start();
    overlay.awaitConverged(Duration.ofSeconds(60));
    vertx = Vertx.vertx();
    timer = Executors.newSingleThreadScheduledExecutor();
  }

  private void link(YggdrasilOverlay.Builder b, int... path) {
    b.chain(path);
    for (int i = 1; i < path.length; i++) {
      linked.add(Set.of(path[i - 1], path[i]));
    }
  }

  private void ring(YggdrasilOverlay.Builder b, int... cycle) {
    link(b, cycle);
    link(b, cycle[cycle.length - 1], cycle[0]);
  }

  /** A name, a location for most, an island, and a record signed by the node's own key. */
  private Map<String, Object> nodeInfo(int i, SigningKey key) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("name", "node-" + i);
    if (i % 3 != 0) {
      info.put("location", Map.of("lat", 52.5 + i / 100.0, "lon", 13.4 + i / 100.0));
    } else {
      info.put("location", "Kreuzberg, Berlin");
    }
    String record = TestRecords.note(key, "node" + i + ".mesh.alt");
    if (i == TAMPERED) {
      record = record.replace("node5.mesh.alt", "nodex.mesh.alt");
    }
    Map<String, Object> canopy = new LinkedHashMap<>();
    canopy.put("records", List.of(record));
    canopy.put("island", i < 8 ? "chain" : "elsewhere");
    if (i == HIDDEN) {
      canopy.put("hide", true);
    }
    info.put("canopy", canopy);
    return info;
  }

  @AfterEach
  void stop() {
    if (overlay != null) {
      overlay.close();
    }
    if (vertx != null) {
      vertx.close();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  CrawlResult crawl() throws Exception {
    AdminLimits limits =
        new AdminLimits(Duration.ofSeconds(6), 1, Duration.ofMillis(200), 1 << 20, 2048, 16384);
    try (YggdrasilAdmin admin =
        new YggdrasilAdmin(
            vertx, AdminEndpoint.parse(overlay.node(0).adminEndpoint()), json, limits)) {
      CrawlSettings settings =
          new CrawlSettings(32, Duration.ofMinutes(3), 100_000, RecordRules.DEFAULT, 50);
      return new Crawl(admin, settings, Clock.systemUTC()).start(timer).get(4, TimeUnit.MINUTES);
    }
  }

  Map<String, NodeObservation> byKey(CrawlResult r) {
    return r.nodes().stream().collect(Collectors.toMap(NodeObservation::key, Function.identity()));
  }

  /** One scenario, in order: crawl the whole overlay, stop some nodes, crawl again. */
  @Test
  void findsEveryNodeLinkAndRecordThenNoLongerSeesNodesThatStopped() throws Exception {
    startOverlay();
    findsEveryNodeEveryLinkAndEveryRecord(crawl());
    noLongerSeesNodesThatStopped();
  }

  void findsEveryNodeEveryLinkAndEveryRecord(CrawlResult r) {
    assertEquals(Outcome.COMPLETE, r.outcome(), () -> "errors: " + r.errors());
    assertEquals(overlay.node(0).publicKeyHex(), r.localKey());
    Map<String, NodeObservation> nodes = byKey(r);
    assertEquals(NODES, nodes.size());
    Set<Link> expected = new HashSet<>();
    for (Set<Integer> l : linked) {
      Integer[] ab = l.toArray(new Integer[0]);
      expected.add(Link.of(overlay.node(ab[0]).publicKeyHex(), overlay.node(ab[1]).publicKeyHex()));
    }
    assertEquals(expected, r.links());

    for (int i = 0; i < NODES; i++) {
      NodeObservation n = nodes.get(overlay.node(i).publicKeyHex());
      assertNotNull(n, "node " + i);
      assertEquals(overlay.node(i).address(), n.address());
      assertEquals(i == 0 ? Responded.LOCAL : Responded.YES, n.responded(), "node " + i);
      assertEquals("node-" + i, n.name());
      assertEquals(i == HIDDEN, n.hidden());
      assertEquals(1, n.records().size());
      HarvestedRecord rec = n.records().get(0);
      if (i == TAMPERED) {
        assertFalse(rec.valid());
        assertEquals("bad-signature", rec.reason());
      } else {
        assertTrue(rec.valid(), () -> "node " + rec.foundAt() + ": " + rec.detail());
        assertEquals("node" + i + ".mesh.alt", rec.name());
      }
    }
    NodeObservation located = nodes.get(overlay.node(1).publicKeyHex());
    assertTrue(located.location().hasCoordinates());
    assertEquals("Kreuzberg, Berlin", nodes.get(overlay.node(3).publicKeyHex()).location().text());
    assertEquals("chain", located.island());
    assertNotNull(located.version(), "build fields are published without privacy");
    assertNull(nodes.get(overlay.node(PRIVATE).publicKeyHex()).version(), "NodeInfoPrivacy");
  }

  void noLongerSeesNodesThatStopped() throws Exception {
    Map<Integer, String> gone = new HashMap<>();
    for (int leaf : LEAVES) {
      gone.put(leaf, overlay.node(leaf).publicKeyHex());
      overlay.stop(leaf);
    }
    gone.put(PRIVATE, overlay.node(PRIVATE).publicKeyHex()); // reached only through leaf 19

    CrawlResult r = crawl();

    Map<String, NodeObservation> nodes = byKey(r);
    for (Map.Entry<Integer, String> g : gone.entrySet()) {
      assertFalse(nodes.containsKey(g.getValue()), "node " + g.getKey() + " was stopped");
    }
    assertEquals(NODES - gone.size(), nodes.size());
    assertTrue(
        r.links().stream().noneMatch(l -> gone.containsValue(l.a()) || gone.containsValue(l.b())));
  }
}
