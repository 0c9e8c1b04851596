package org.canopymesh.crawler.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
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
import org.canopymesh.crawler.testing.FakeAdminServer;
import org.canopymesh.crawler.testing.FakeAdminServer.Reply;
import org.canopymesh.crawler.testing.SimulatedOverlay;
import org.canopymesh.naming.record.RecordRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crawls of a {@link SimulatedOverlay} served by the {@link FakeAdminServer}, some of whose nodes
 * are hostile: they never answer, answer one byte at a time, send 50 MB, send what is not JSON,
 * list 100,000 keys, or list themselves and each other in loops.
 */
class HostileEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REPLY = 1 << 20;

  /** A short call timeout, so that the hostile calls end in about a second (with one retry). */
  private static final AdminLimits LIMITS =
      new AdminLimits(Duration.ofMillis(500), 1, Duration.ofMillis(50), MAX_REPLY, 2048, 16384);

  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final Duration REMOTE_DELAY = Duration.ofMillis(5);

  private Vertx vertx;
  private ScheduledExecutorService timer;
  private FakeAdminServer server;
  private YggdrasilAdmin admin;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "crawl-deadline");
              t.setDaemon(true);
              return t;
            });
  }

  @AfterEach
  void stop() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
    timer.shutdownNow();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private CrawlResult crawl(
      FakeAdminServer.Behaviour behaviour, AdminLimits limits, int concurrency, Duration deadline)
      throws Exception {
    server = FakeAdminServer.start(vertx, behaviour);
    admin = new YggdrasilAdmin(vertx, AdminEndpoint.parse(server.endpoint()), JSON, limits);
    CrawlSettings settings =
        new CrawlSettings(concurrency, deadline, 100_000, RecordRules.DEFAULT, 50);
    // Waits a little longer than the deadline: the crawl itself must end by its deadline.
    return new Crawl(admin, settings, Clock.systemUTC())
        .start(timer)
        .get(deadline.toMillis() + 5_000, TimeUnit.MILLISECONDS);
  }

  private static Map<String, NodeObservation> byKey(CrawlResult r) {
    return r.nodes().stream().collect(Collectors.toMap(NodeObservation::key, Function.identity()));
  }

  private static Map<String, List<CrawlError>> errorsByKey(CrawlResult r) {
    return r.errors().stream()
        .filter(e -> e.key() != null)
        .collect(Collectors.groupingBy(CrawlError::key));
  }

  private static Duration took(CrawlResult r) {
    return Duration.between(r.startedAt(), r.finishedAt());
  }

  @Test
  void honestOverlayIsCrawledCompletelyWithinTheConcurrencyLimit() throws Exception {
    SimulatedOverlay overlay = new SimulatedOverlay(300, 42).remoteDelay(REMOTE_DELAY);
    CrawlResult r = crawl(overlay, LIMITS, 8, DEADLINE);

    assertEquals(Outcome.COMPLETE, r.outcome());
    assertEquals(overlay.key(0), r.localKey());
    assertEquals(SimulatedOverlay.BUILD_VERSION, r.adminVersion());
    Map<String, NodeObservation> nodes = byKey(r);
    assertEquals(Set.copyOf(overlay.keys()), nodes.keySet());
    for (int i = 0; i < overlay.size(); i++) {
      NodeObservation n = nodes.get(overlay.key(i));
      assertEquals(i == 0 ? Responded.LOCAL : Responded.YES, n.responded(), "node " + i);
      assertEquals(SimulatedOverlay.nameOf(i), n.name());
      assertEquals(overlay.address(i), n.address());
    }
    assertEquals(overlay.links(), r.links());
    assertEquals(0, r.errorCount(), () -> r.errors().toString());
    // getSelf, getPeers, then getNodeInfo for every node and debug_remoteGetPeers for the others.
    assertEquals(2 + 2 * overlay.size() - 1, r.calls());
    assertEquals(r.calls(), server.served());
    assertEquals(8, server.maxInFlight(), "as many requests in flight as allowed, never more");
  }

  @Test
  void hostileNodesNeitherStallNorFloodTheCrawl() throws Exception {
    SimulatedOverlay overlay = new SimulatedOverlay(200, 7).remoteDelay(REMOTE_DELAY);
    int honest = overlay.size();

    // Hostile nodes, each a peer of an honest node: the crawl only learns of them from it.
    Map<String, Reply> hostile = new HashMap<>();
    Map<String, String> expectedKind = new HashMap<>();
    Map<String, String> expectedMessage = new HashMap<>();
    int silent = hostileNode(overlay, 11, hostile, Reply.never());
    expectedKind.put(overlay.key(silent), "timeout");
    expectedMessage.put(overlay.key(silent), "within 500 ms");
    int slow = overlay.addNode();
    overlay.connect(23, slow);
    hostile.put(
        overlay.key(slow),
        Reply.byteByByte(
            JSON.createObjectNode()
                .set(overlay.address(slow), JSON.createObjectNode().put("name", "slowpoke")),
            Duration.ofMillis(20)));
    expectedKind.put(overlay.key(slow), "timeout");
    expectedMessage.put(overlay.key(slow), "within 500 ms");
    int huge = hostileNode(overlay, 57, hostile, Reply.huge(50L << 20));
    expectedKind.put(overlay.key(huge), "protocol");
    expectedMessage.put(overlay.key(huge), "the reply is larger than " + MAX_REPLY + " bytes");
    int garbage = hostileNode(overlay, 101, hostile, Reply.raw("<html>502 Bad Gateway</html>"));
    expectedKind.put(overlay.key(garbage), "protocol");
    expectedMessage.put(overlay.key(garbage), "the reply is not valid JSON");
    // 100,000 keys are about 6.7 MB: past the size limit before their count is looked at.
    int many = hostileNode(overlay, 150, hostile, Reply.manyKeys(100_000));
    expectedKind.put(overlay.key(many), "protocol");
    expectedMessage.put(overlay.key(many), "the reply is larger than " + MAX_REPLY + " bytes");

    // Loops: every link is listed from both ends (A→B→A) already; some nodes list themselves
    // (the local node among them), one lists a hostile node twice over, one a key of no node.
    overlay.list(0, overlay.key(0));
    overlay.list(5, overlay.key(5));
    overlay.list(199, overlay.key(199));
    overlay.list(11, overlay.key(silent));
    overlay.connect(12, silent);
    String phantom = new SimulatedOverlay(1, 99).key(0);
    overlay.list(30, phantom);
    expectedKind.put(phantom, "remote");
    expectedMessage.put(phantom, "yggdrasil: timeout");

    FakeAdminServer.Behaviour behaviour =
        (name, key) -> {
          Reply h = key == null ? null : hostile.get(key);
          return h != null ? h : overlay.reply(name, key);
        };
    long heapBefore = usedHeapAfterGc();
    CrawlResult r = crawl(behaviour, LIMITS, 16, DEADLINE);
    long heapAfter = usedHeapAfterGc();

    // It ended by itself, every call answered or given up, well within the deadline.
    assertEquals(Outcome.COMPLETE, r.outcome());
    assertTrue(took(r).compareTo(DEADLINE) < 0, "took " + took(r));

    // Every honest node was found and answered; hostile ones were seen through a neighbour.
    Map<String, NodeObservation> nodes = byKey(r);
    for (int i = 0; i < honest; i++) {
      NodeObservation n = nodes.get(overlay.key(i));
      assertNotNull(n, "honest node " + i);
      assertEquals(i == 0 ? Responded.LOCAL : Responded.YES, n.responded(), "node " + i);
      assertEquals(SimulatedOverlay.nameOf(i), n.name());
    }
    assertEquals(honest + hostile.size() + 1, nodes.size(), "honest, hostile and the phantom");
    Map<String, List<CrawlError>> errors = errorsByKey(r);
    for (String k : expectedKind.keySet()) {
      NodeObservation n = nodes.get(k);
      assertNotNull(n, k);
      assertEquals(Responded.NO, n.responded(), k);
      assertEquals(null, n.nodeInfo());
      List<CrawlError> e = errors.get(k);
      assertNotNull(e, "errors of " + k);
      assertEquals(
          Set.of("debug_remoteGetPeers", "getNodeInfo"),
          e.stream().map(CrawlError::call).collect(Collectors.toSet()),
          k);
      for (CrawlError one : e) {
        assertEquals(expectedKind.get(k), one.kind(), one.toString());
        assertTrue(one.message().contains(expectedMessage.get(k)), one.toString());
      }
    }
    // Only the hostile nodes and the phantom failed, two calls each.
    assertEquals(2 * expectedKind.size(), r.errorCount(), () -> r.errors().toString());
    assertEquals(expectedKind.keySet(), errors.keySet());

    // Loops cost nothing: every node was asked once, links have two different ends.
    assertEquals(overlay.links(), r.links());
    for (int i = 1; i < honest; i++) {
      assertEquals(1, server.requests("debug_remoteGetPeers", overlay.key(i)), "node " + i);
      assertEquals(1, server.requests("getNodeInfo", overlay.key(i)), "node " + i);
    }
    assertEquals(1, server.requests("getNodeInfo", overlay.key(0)));
    // Timeouts and remote errors are retried once; protocol errors are not.
    assertEquals(2, server.requests("debug_remoteGetPeers", overlay.key(silent)));
    assertEquals(2, server.requests("debug_remoteGetPeers", phantom));
    assertEquals(1, server.requests("debug_remoteGetPeers", overlay.key(huge)));
    assertEquals(1, server.requests("getNodeInfo", overlay.key(many)));

    // The client stopped reading at the size limit: of each 50 MB reply only the part that fit
    // in its buffer and the sockets' was ever sent, and the heap kept none of it.
    for (String call : List.of("debug_remoteGetPeers", "getNodeInfo")) {
      long sent = server.bytesSent(call, overlay.key(huge));
      assertTrue(sent < 20L << 20, call + " of the 50 MB node: " + sent + " bytes sent");
    }
    assertTrue(
        heapAfter - heapBefore < 32L << 20,
        "heap grew by " + (heapAfter - heapBefore) / (1 << 20) + " MB");
  }

  /** Adds a node answering every call with {@code reply}, as a peer of node {@code honest}. */
  private static int hostileNode(
      SimulatedOverlay overlay, int honest, Map<String, Reply> hostile, Reply reply) {
    int n = overlay.addNode();
    overlay.connect(honest, n);
    hostile.put(overlay.key(n), reply);
    return n;
  }

  @Test
  void crawlThatCannotFinishStopsAtItsDeadlineAsPartial() throws Exception {
    SimulatedOverlay overlay = new SimulatedOverlay(50, 3).remoteDelay(REMOTE_DELAY);
    // Every remote call hangs for longer than the whole crawl may take.
    FakeAdminServer.Behaviour behaviour =
        (name, key) -> key == null ? overlay.reply(name, key) : Reply.never();
    AdminLimits patient =
        new AdminLimits(Duration.ofSeconds(30), 1, Duration.ofMillis(50), MAX_REPLY, 2048, 16384);
    Duration deadline = Duration.ofMillis(700);
    assertTrue(overlay.peersOf(0).size() >= 2, "enough calls to fill 4 slots");
    CrawlResult r = crawl(behaviour, patient, 4, deadline);

    assertEquals(Outcome.PARTIAL, r.outcome());
    assertTrue(took(r).compareTo(deadline.plusSeconds(1)) < 0, "took " + took(r));
    assertTrue(took(r).compareTo(deadline.minusMillis(20)) >= 0, "took " + took(r));
    Map<String, NodeObservation> nodes = byKey(r);
    assertEquals(Responded.LOCAL, nodes.get(overlay.key(0)).responded());
    for (String peer : overlay.peersOf(0)) {
      assertEquals(Responded.NO, nodes.get(peer).responded(), peer);
    }
    assertEquals(4, server.maxInFlight(), "hung calls held every slot, and no more");
  }

  @Test
  void localNodeThatCannotListItsPeersFailsTheCrawl() throws Exception {
    SimulatedOverlay overlay = new SimulatedOverlay(20, 3);
    CrawlResult r =
        crawl(
            (name, key) ->
                name.equals("getPeers") ? Reply.raw("not json") : overlay.reply(name, key),
            LIMITS,
            4,
            DEADLINE);
    assertEquals(Outcome.FAILED, r.outcome());
    assertTrue(r.failure().contains("did not list its peers"), r.failure());
  }

  @Test
  void localEndpointThatNeverAnswersFailsTheCrawl() throws Exception {
    CrawlResult r = crawl((name, key) -> Reply.never(), LIMITS, 4, DEADLINE);
    assertEquals(Outcome.FAILED, r.outcome());
    assertTrue(r.failure().contains("did not answer"), r.failure());
    assertTrue(r.failure().contains("within 500 ms"), r.failure());
    assertEquals(List.of(), r.nodes());
    assertEquals(2, server.requests("getSelf", null), "one retry");
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
