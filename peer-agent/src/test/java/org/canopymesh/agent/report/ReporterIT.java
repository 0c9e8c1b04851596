package org.canopymesh.agent.report;

import static org.canopymesh.agent.testing.MapEndpoint.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.config.ConfigReader;
import org.canopymesh.agent.testing.MapEndpoint;
import org.canopymesh.agent.testing.MapEndpoint.Mode;
import org.canopymesh.agent.testing.YggdrasilNode;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.report.L2Neighbour;
import org.canopymesh.naming.report.L2Protocol;
import org.canopymesh.naming.report.LinkState;
import org.canopymesh.naming.report.MacAddress;
import org.canopymesh.naming.report.PeerKind;
import org.canopymesh.naming.report.PeerLink;
import org.canopymesh.naming.report.ReportNote;
import org.canopymesh.naming.report.SignedReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reporter end to end: reports are gathered, signed, queued on disk and posted to a test map
 * endpoint that checks each one with the naming library; the endpoint fails, goes away, comes back,
 * refuses; the reporter restarts. Retries are fast here (50 to 200 ms) so nothing takes long.
 */
class ReporterIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final SigningKey NODE = SigningKey.fromSeed(new byte[32]);
  static final SigningKey PEER = SigningKey.fromSeed(filled(7));

  @TempDir Path state;

  final List<AutoCloseable> open = new ArrayList<>();
  final AtomicInteger gathered = new AtomicInteger();

  static byte[] filled(int b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) b);
    return seed;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  <T extends AutoCloseable> T closing(T c) {
    open.add(0, c);
    return c;
  }

  AgentConfig config(MapEndpoint endpoint, Duration interval) {
    String json =
        "{\"reportTo\": [\""
            + endpoint.url()
            + "/\"], \"reportInterval\": \""
            + interval.toMillis()
            + "ms\", \"stateDir\": \""
            + state
            + "\", \"location\": {\"lat\": 52.52, \"lon\": 13.405}, \"island\": \"kreuzberg\"}";
    return ConfigReader.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** One peer and one 802.11s neighbour, always the same. */
  Observation observation() {
    gathered.incrementAndGet();
    return new Observation(
        List.of(
            new PeerLink(
                PEER.verifyingKey(),
                PeerKind.LOCAL,
                LinkState.UP,
                Optional.of(Duration.ofMillis(3)),
                Optional.of("tls://[fe80::1%25eth0]:1234"))),
        List.of(
            new L2Neighbour(
                MacAddress.parse("02:42:0a:22:00:03"),
                L2Protocol.IEEE80211S,
                0.8,
                Optional.empty())),
        List.of(MacAddress.parse("02:42:0a:22:00:01")),
        List.of());
  }

  Reporter reporter(AgentConfig config, Clock clock) {
    return closing(
        Reporter.builder(config, NODE)
            .clock(clock)
            .random(new Random(1))
            .gatherer(this::observation)
            .retry(Duration.ofMillis(50), Duration.ofMillis(200))
            .timeouts(Duration.ofSeconds(1), Duration.ofMillis(500))
            .start());
  }

  static void assertIncreasing(List<Long> seqs) {
    for (int i = 1; i < seqs.size(); i++) {
      assertTrue(Long.compareUnsigned(seqs.get(i - 1), seqs.get(i)) < 0, "not in order: " + seqs);
    }
  }

  List<Path> queuedFiles() throws IOException {
    try (Stream<Path> files = Files.walk(state.resolve("reports"))) {
      return files.filter(f -> f.toString().endsWith(ReportQueue.SUFFIX)).sorted().toList();
    }
  }

  @Test
  void deliversSignedReportsInOrder() {
    MapEndpoint map = closing(MapEndpoint.start());
    Reporter reporter = reporter(config(map, Duration.ofMillis(100)), Clock.systemUTC());
    await("three deliveries", WAIT, () -> reporter.status().destinations().get(0).delivered() >= 3);

    SignedReport first = map.accepted().get(0);
    ReportNote r = first.report();
    assertEquals(NODE.verifyingKey(), r.key());
    assertEquals(Optional.of("kreuzberg"), r.island());
    assertEquals(52.52, r.location().orElseThrow().lat());
    assertEquals(observation().peers(), r.peers());
    assertEquals(
        OverlayAddress.forKey(NODE.verifyingKey()).toString(),
        first.note().signatures().get(0).keyName());
    assertIncreasing(map.acceptedSeqs());
    assertEquals(List.of(), map.problems());

    ReportStatus status = reporter.status();
    assertTrue(status.lastSeq().isPresent());
    ReportStatus.Destination d = status.destinations().get(0);
    assertTrue(d.delivered() >= 3 && d.lastDelivery().isPresent(), d.toString());
    assertEquals(0, d.refused() + d.dropped());
  }

  @Test
  void deliversQueuedReportsAfterEndpointComesBack() throws IOException {
    MapEndpoint map = closing(MapEndpoint.start());
    map.mode(Mode.UNAVAILABLE);
    Reporter reporter = reporter(config(map, Duration.ofMillis(100)), Clock.systemUTC());
    await(
        "reports queued on disk during 503s",
        WAIT,
        () ->
            queued(reporter) >= 3
                && reporter.status().destinations().get(0).nextRetry().isPresent());
    assertTrue(
        reporter.status().destinations().get(0).lastError().orElseThrow().contains("HTTP 503"));

    map.stop(); // now not even a connection
    int before = queued(reporter);
    await(
        "more reports queued while the service is gone",
        WAIT,
        () -> queued(reporter) >= before + 3);
    assertEquals(queued(reporter), queuedFiles().size());

    map.restart();
    map.mode(Mode.ACCEPT);
    await(
        "the queue to drain",
        WAIT,
        () -> map.accepted().size() >= before + 3 && queued(reporter) == 0);
    long delivered = reporter.status().destinations().get(0).delivered();
    List<Long> seqs = map.acceptedSeqs();
    assertIncreasing(seqs);
    // Reports keep coming: the endpoint may have taken one whose answer is still on its way.
    assertTrue(seqs.size() == delivered || seqs.size() == delivered + 1, delivered + " " + seqs);
    assertEquals(List.of(), map.problems());
  }

  @Test
  void aRestartedReporterDeliversWhatThePreviousOneQueued() throws IOException {
    MapEndpoint map = closing(MapEndpoint.start());
    map.mode(Mode.UNAVAILABLE);
    Reporter first = reporter(config(map, Duration.ofMillis(50)), Clock.systemUTC());
    await("reports queued", WAIT, () -> queued(first) >= 4);
    first.close();
    List<Long> left =
        queuedFiles().stream()
            .map(f -> Long.parseUnsignedLong(f.getFileName().toString().substring(0, 20)))
            .toList();
    assertTrue(left.size() >= 4);

    map.mode(Mode.ACCEPT);
    Reporter second = reporter(config(map, Duration.ofHours(1)), Clock.systemUTC());
    await(
        "the old queue and a new report",
        WAIT,
        () -> map.accepted().size() >= left.size() + 1 && queued(second) == 0);
    List<Long> seqs = map.acceptedSeqs();
    assertEquals(left, seqs.subList(0, left.size()), "the old reports first, in order");
    assertIncreasing(seqs);
  }

  @Test
  void theQueueBoundDropsTheOldestReports() {
    MapEndpoint map = closing(MapEndpoint.start());
    map.mode(Mode.UNAVAILABLE);
    // A stopped clock: every seq is the last one plus one, so the reports are numbered t, t+1, ...
    Instant t = Instant.parse("2026-11-21T12:00:00Z");
    Reporter reporter =
        closing(
            Reporter.builder(config(map, Duration.ofHours(1)), NODE)
                .clock(Clock.fixed(t, ZoneOffset.UTC))
                .gatherer(this::observation)
                .retry(Duration.ofMillis(50), Duration.ofMillis(200))
                .queueBounds(3, 1 << 20)
                .start());
    await("the first report", WAIT, () -> reporter.status().lastSeq().isPresent());
    for (int i = 0; i < 5; i++) {
      reporter.reportOnce();
    }
    ReportStatus.Destination d = reporter.status().destinations().get(0);
    assertEquals(3, d.queued());
    assertEquals(3, d.dropped());
    map.mode(Mode.ACCEPT);
    long t0 = t.toEpochMilli();
    await("the newest three", WAIT, () -> map.accepted().size() == 3);
    assertEquals(List.of(t0 + 3, t0 + 4, t0 + 5), map.acceptedSeqs());
  }

  @Test
  void aRefusedReportIsDroppedNotRetried() {
    MapEndpoint map = closing(MapEndpoint.start());
    map.mode(Mode.BAD_REQUEST);
    Reporter reporter = reporter(config(map, Duration.ofHours(1)), Clock.systemUTC());
    await("the refusal", WAIT, () -> reporter.status().destinations().get(0).refused() == 1);
    long refusedSeq = reporter.status().lastSeq().getAsLong();
    ReportStatus.Destination d = reporter.status().destinations().get(0);
    assertEquals(0, d.queued());
    assertTrue(d.lastError().orElseThrow().contains("HTTP 400"), d.lastError().toString());

    map.mode(Mode.ACCEPT);
    reporter.reportOnce();
    await("the next report", WAIT, () -> map.accepted().size() == 1);
    assertEquals(1, map.attempts(refusedSeq));
    assertTrue(map.acceptedSeqs().get(0) > refusedSeq);
  }

  @Test
  void aServiceThatNeverAnswersHoldsNothingUp() {
    MapEndpoint map = closing(MapEndpoint.start());
    map.mode(Mode.HANG);
    Reporter reporter = reporter(config(map, Duration.ofMillis(100)), Clock.systemUTC());
    await(
        "a timed-out delivery",
        WAIT,
        () ->
            reporter
                .status()
                .destinations()
                .get(0)
                .lastError()
                .map(e -> e.contains("no answer in time"))
                .orElse(false));
    int before = gathered.get();
    await("reports still being made", WAIT, () -> gathered.get() >= before + 3);
    map.mode(Mode.ACCEPT);
    await("the queue to drain", WAIT, () -> queued(reporter) == 0 && map.accepted().size() >= 3);
    // The requests the reporter gave up on were held, not lost: the endpoint takes them too when
    // it answers at last. Delivery is at least once; apart from those repeats the order holds.
    assertIncreasing(map.acceptedSeqs().stream().distinct().toList());
  }

  @Test
  void withoutAMapServiceNothingIsGathered() {
    String json = "{\"reportInterval\": \"50ms\", \"stateDir\": \"" + state + "\"}";
    AgentConfig config = ConfigReader.parse(json.getBytes(StandardCharsets.UTF_8));
    Reporter reporter = closing(Reporter.builder(config, NODE).gatherer(this::observation).start());
    assertEquals(
        List.of("reportTo is empty: no neighbour reports are made"), reporter.status().warnings());
    assertEquals(0, gathered.get());
    assertEquals(List.of(), reporter.status().destinations());
  }

  @Test
  void reportsARealNodesPeersToTheMapService() {
    MapEndpoint map = closing(MapEndpoint.start());
    SecureRandom random = new SecureRandom();
    SigningKey keyA = SigningKey.generate(random);
    SigningKey keyB = SigningKey.generate(random);
    YggdrasilNode a = closing(YggdrasilNode.start(state.resolve("ygg-a"), keyA, List.of(), true));
    a.awaitReady(Duration.ofSeconds(30));
    YggdrasilNode b =
        closing(YggdrasilNode.start(state.resolve("ygg-b"), keyB, List.of(a.peerUri()), false));
    AdminClient adminA = new AdminClient(a.admin());
    a.await("the link to b", Duration.ofSeconds(30), () -> hasPeer(adminA, keyB));

    String json =
        "{\"admin\": \""
            + a.admin()
            + "\", \"reportTo\": [\""
            + map.url()
            + "\"], \"reportInterval\": \"1h\", \"stateDir\": \""
            + state.resolve("agent")
            + "\"}";
    AgentConfig config = ConfigReader.parse(json.getBytes(StandardCharsets.UTF_8));
    Reporter reporter = closing(Reporter.start(config, keyA, Clock.systemUTC()));
    await("the report", WAIT, () -> map.accepted().size() == 1);

    ReportNote r = map.accepted().get(0).report();
    assertEquals(keyA.verifyingKey(), r.key());
    assertEquals(1, r.peers().size());
    PeerLink peer = r.peers().get(0);
    assertEquals(keyB.verifyingKey(), peer.key());
    assertEquals(LinkState.UP, peer.state());
    assertEquals(PeerKind.OVERLAY, peer.kind(), "127.0.0.1 is neither link-local nor a LAN");
    assertTrue(peer.remote().orElseThrow().startsWith("tcp://127.0.0.1:"));
    assertEquals(List.of(), r.neighbours());
    assertEquals(List.of(), reporter.status().warnings());
  }

  private static boolean hasPeer(AdminClient admin, SigningKey key) {
    try {
      return admin.peers().stream().anyMatch(p -> p.key().equals(Optional.of(key.verifyingKey())));
    } catch (AdminException e) {
      return false;
    }
  }

  private static int queued(Reporter r) {
    return r.status().destinations().get(0).queued();
  }
}
