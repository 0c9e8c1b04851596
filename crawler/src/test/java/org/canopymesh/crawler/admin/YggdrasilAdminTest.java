package org.canopymesh.crawler.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.canopymesh.crawler.testing.FakeAdminServer;
import org.canopymesh.crawler.testing.FakeAdminServer.Reply;
import org.canopymesh.crawler.testing.SimulatedOverlay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class YggdrasilAdminTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Short timeouts: every test here ends in well under a second. */
  private static final AdminLimits LIMITS =
      new AdminLimits(Duration.ofMillis(400), 1, Duration.ofMillis(20), 1 << 20, 2048, 16 * 1024);

  /** Keys of a small simulated overlay, used as well-formed keys. */
  private static final SimulatedOverlay KEYS = new SimulatedOverlay(4, 1);

  private static final String LOCAL = KEYS.key(0);
  private static final String REMOTE = KEYS.key(1);

  private Vertx vertx;
  private FakeAdminServer server;
  private YggdrasilAdmin admin;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private YggdrasilAdmin serve(FakeAdminServer.Behaviour behaviour) {
    return serve(behaviour, LIMITS);
  }

  private YggdrasilAdmin serve(FakeAdminServer.Behaviour behaviour, AdminLimits limits) {
    server = FakeAdminServer.start(vertx, behaviour);
    admin = new YggdrasilAdmin(vertx, AdminEndpoint.parse(server.endpoint()), JSON, limits);
    return admin;
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  /** The {@link AdminException} a call failed with. */
  private static AdminException failure(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(f));
    return assertInstanceOf(AdminException.class, e.getCause());
  }

  private static ObjectNode remote(String key, JsonNode value) {
    ObjectNode r = JSON.createObjectNode();
    r.set(FakeAdminServer.addressOf(key), value);
    return r;
  }

  private static ObjectNode keysReply(String owner, List<String> keys) {
    ObjectNode v = JSON.createObjectNode();
    ArrayNode a = v.putArray("keys");
    keys.forEach(a::add);
    return remote(owner, v);
  }

  @Test
  void reusesKeptAliveConnectionsForLaterCalls() throws Exception {
    SimulatedOverlay overlay = new SimulatedOverlay(3, 7);
    YggdrasilAdmin a = serve(overlay);
    for (int i = 0; i < 20; i++) {
      await(a.self());
    }
    assertEquals(20, server.requests("getSelf", null));
    assertEquals(1, server.connections(), "one connection, kept alive and reused");
  }

  @Test
  void aServerThatClosesAfterEachReplyStillWorks() throws Exception {
    ObjectNode self = JSON.createObjectNode();
    self.putObject("self")
        .putObject(FakeAdminServer.addressOf(LOCAL))
        .put("key", LOCAL)
        .put("build_version", "0.4.7");
    // Raw replies end their connection, as a server without keep-alive would.
    String reply = "{\"status\":\"success\",\"response\":" + self + "}";
    YggdrasilAdmin a = serve((name, key) -> Reply.raw(reply));
    for (int i = 0; i < 5; i++) {
      assertEquals(LOCAL, await(a.self()).key());
    }
  }

  @Test
  void getSelfInThe04ShapeIsDialect04() throws Exception {
    SimulatedOverlay overlay = new SimulatedOverlay(3, 7);
    SelfInfo self = await(serve(overlay).self());
    assertEquals(overlay.key(0), self.key());
    assertEquals(overlay.address(0), self.address());
    assertEquals("0.4.7", self.buildVersion());
    assertEquals(AdminVersion.V0_4, self.version());
  }

  @Test
  void getSelfInThe05ShapeIsDialect05() throws Exception {
    ObjectNode self =
        JSON.createObjectNode()
            .put("build_name", "yggdrasil")
            .put("build_version", "0.5.12")
            .put("key", LOCAL.toUpperCase(java.util.Locale.ROOT))
            .put("address", "200:1234::1")
            .put("subnet", "300:1234::/64")
            .put("routing_entries", 12);
    SelfInfo info = await(serve((name, key) -> Reply.success(self)).self());
    assertEquals(LOCAL, info.key(), "keys are lower-cased");
    assertEquals("200:1234::1", info.address());
    assertEquals(AdminVersion.V0_5, info.version());
  }

  @Test
  void getSelfWithoutABuildVersionCountsAsDialect05() throws Exception {
    ObjectNode self = JSON.createObjectNode().put("key", LOCAL).put("address", "200::1");
    SelfInfo info = await(serve((name, key) -> Reply.success(self)).self());
    assertEquals("unknown", info.buildVersion());
    assertEquals(AdminVersion.V0_5, info.version());
  }

  @Test
  void getSelfWithABadKeyIsRejected() {
    ObjectNode self = JSON.createObjectNode().put("key", "not-a-key").put("build_version", "0.5.1");
    AdminException e = failure(serve((name, key) -> Reply.success(self)).self());
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("is not a public key"), e.getMessage());
  }

  @Test
  void getPeersKeyedByAddressIsRead04() throws Exception {
    SimulatedOverlay overlay = new SimulatedOverlay(10, 3);
    List<PeerInfo> peers = await(serve(overlay).peers());
    assertEquals(overlay.peersOf(0), peers.stream().map(PeerInfo::key).toList());
    assertTrue(peers.stream().allMatch(p -> p.remote().startsWith("tcp://127.0.0.1:")));
    assertTrue(peers.stream().allMatch(p -> p.inbound() == null), "0.4 does not say");
  }

  @Test
  void getPeersAsAnArraySkipsPeersThatAreNotUp05() throws Exception {
    ObjectNode r = JSON.createObjectNode();
    ArrayNode a = r.putArray("peers");
    a.addObject()
        .put("key", KEYS.key(1))
        .put("up", true)
        .put("inbound", true)
        .put("remote", "tls://[fe80::1%25eth0]:443");
    a.addObject()
        .put("key", KEYS.key(2))
        .put("up", false)
        .put("inbound", false)
        .put("remote", "tcp://10.0.0.2:1234");
    a.addObject().put("key", KEYS.key(3)).put("inbound", false);
    List<PeerInfo> peers = await(serve((name, key) -> Reply.success(r)).peers());
    assertEquals(2, peers.size());
    assertEquals(new PeerInfo(KEYS.key(1), "tls://[fe80::1%25eth0]:443", true), peers.get(0));
    assertEquals(new PeerInfo(KEYS.key(3), null, false), peers.get(1));
  }

  @Test
  void getPeersWithABadKeyIsRejected() {
    ObjectNode r = JSON.createObjectNode();
    r.putArray("peers").addObject().put("key", LOCAL.substring(1)).put("up", true);
    AdminException e = failure(serve((name, key) -> Reply.success(r)).peers());
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
  }

  @Test
  void remotePeersAreReadAndLowerCased() throws Exception {
    List<String> listed = List.of(KEYS.key(0), KEYS.key(2).toUpperCase(java.util.Locale.ROOT));
    List<String> keys =
        await(serve((name, key) -> Reply.success(keysReply(key, listed))).remotePeers(REMOTE));
    assertEquals(List.of(KEYS.key(0), KEYS.key(2)), keys);
  }

  @Test
  void remotePeersWithABadKeyAreRejected() {
    SimulatedOverlay askedAbout = new SimulatedOverlay(4, 21);
    List<String> bad = List.of("zz" + LOCAL.substring(2), LOCAL + "00", "", "0x" + LOCAL);
    serve(
        (name, key) ->
            Reply.success(
                keysReply(key, List.of(KEYS.key(2), bad.get(askedAbout.keys().indexOf(key))))));
    for (int i = 0; i < bad.size(); i++) {
      AdminException e = failure(admin.remotePeers(askedAbout.key(i)));
      assertEquals(AdminException.Kind.PROTOCOL, e.kind(), bad.get(i));
      assertTrue(e.getMessage().contains("is not a public key"), e.getMessage());
    }
  }

  @Test
  void remotePeersWithKeysThatAreNotStringsAreRejected() {
    ObjectNode v = JSON.createObjectNode();
    v.putArray("keys").add(12).addObject().put("key", LOCAL);
    AdminException e =
        failure(serve((name, key) -> Reply.success(remote(key, v))).remotePeers(REMOTE));
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
  }

  @Test
  void remotePeersWithoutAListOfKeysAreRejected() {
    ObjectNode v = JSON.createObjectNode().put("keys", "all of them");
    AdminException e =
        failure(serve((name, key) -> Reply.success(remote(key, v))).remotePeers(REMOTE));
    assertEquals("the peers reply has no list of keys", e.getMessage());
  }

  @Test
  void remoteReplyHoldingTwoNodesIsRejected() {
    ObjectNode r = keysReply(REMOTE, List.of());
    r.set("200::2", JSON.createObjectNode().set("keys", JSON.createArrayNode()));
    AdminException e = failure(serve((name, key) -> Reply.success(r)).remotePeers(REMOTE));
    assertEquals("a remote reply must hold exactly one node", e.getMessage());
  }

  @Test
  void remotePeersListingExactly2048KeysAreAccepted() throws Exception {
    List<String> keys = await(serve((name, key) -> Reply.manyKeys(2048)).remotePeers(REMOTE));
    assertEquals(2048, keys.size());
    assertEquals(2048, keys.stream().distinct().count());
  }

  @Test
  void remotePeersListingOver2048KeysAreRejected() {
    AdminException e = failure(serve((name, key) -> Reply.manyKeys(2049)).remotePeers(REMOTE));
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
    assertEquals("the peers reply lists 2049 keys; at most 2048", e.getMessage());
    assertEquals(1, server.requests("debug_remoteGetPeers", REMOTE), "not retried");
  }

  @Test
  void getPeersListingOver2048PeersIsRejected() {
    ObjectNode r = JSON.createObjectNode();
    ArrayNode a = r.putArray("peers");
    for (int i = 0; i < 2049; i++) {
      a.addObject().put("key", LOCAL).put("up", true);
    }
    AdminException e = failure(serve((name, key) -> Reply.success(r)).peers());
    assertEquals("getPeers lists 2049 peers; at most 2048", e.getMessage());
  }

  @Test
  void nodeInfoIsReturnedAsTheRemoteNodesObject() throws Exception {
    SimulatedOverlay overlay = new SimulatedOverlay(5, 11);
    JsonNode info = await(serve(overlay).nodeInfo(overlay.key(3)));
    assertEquals(overlay.nodeInfo(3), info);
  }

  @Test
  void nodeInfoOver16KiBIsRejected() throws Exception {
    ObjectNode big = JSON.createObjectNode().put("name", "x".repeat(16 * 1024));
    AdminException e =
        failure(serve((name, key) -> Reply.success(remote(key, big))).nodeInfo(REMOTE));
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().startsWith("NodeInfo is 16395 bytes; at most 16384"), e.getMessage());
  }

  @Test
  void nodeInfoOfExactly16KiBIsAccepted() throws Exception {
    ObjectNode info = JSON.createObjectNode().put("name", "x".repeat(16 * 1024 - 11));
    assertEquals(16 * 1024, JSON.writeValueAsBytes(info).length);
    JsonNode got = await(serve((name, key) -> Reply.success(remote(key, info))).nodeInfo(REMOTE));
    assertEquals(info, got);
  }

  @Test
  void nodeInfoThatIsNotAnObjectIsRejected() {
    AdminException e =
        failure(
            serve((name, key) -> Reply.success(remote(key, JSON.getNodeFactory().textNode("hi"))))
                .nodeInfo(REMOTE));
    assertEquals("NodeInfo is not a JSON object", e.getMessage());
  }

  @Test
  void errorReplyIsARemoteException() {
    AtomicInteger asked = new AtomicInteger();
    AdminException e =
        failure(
            serve(
                    (name, key) -> {
                      asked.incrementAndGet();
                      return Reply.failure("timeout", Duration.ZERO);
                    })
                .nodeInfo(REMOTE));
    assertEquals(AdminException.Kind.REMOTE, e.kind());
    assertEquals("yggdrasil: timeout", e.getMessage());
    assertTrue(e.retryable());
    assertEquals(2, asked.get(), "a remote error is tried once more");
  }

  @Test
  void unknownKeyOfTheSimulatedOverlayIsARemoteTimeout() {
    SimulatedOverlay overlay = new SimulatedOverlay(3, 5).remoteDelay(Duration.ofMillis(1));
    AdminException e = failure(serve(overlay).remotePeers(KEYS.key(3)));
    assertEquals(AdminException.Kind.REMOTE, e.kind());
    assertEquals("yggdrasil: timeout", e.getMessage());
  }

  @Test
  void replyWithoutAResponseObjectIsAProtocolError() {
    AdminException e =
        failure(
            serve((name, key) -> Reply.raw("{\"status\":\"success\",\"response\":[1]}")).self());
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
    assertEquals("the reply has no response object", e.getMessage());
  }

  @Test
  void replyThatIsNotJsonIsAProtocolErrorAndIsNotRetried() {
    AdminException e = failure(serve((name, key) -> Reply.raw("HTTP/1.1 400 Bad\r\n\r\n")).self());
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
    assertEquals("the reply is not valid JSON", e.getMessage());
    assertEquals(1, server.requests("getSelf", null));
  }

  @Test
  void connectionClosedBeforeACompleteReplyIsAProtocolError() {
    AdminException e = failure(serve((name, key) -> Reply.raw("{\"status\":\"succ")).self());
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("closed the connection"), e.getMessage());
  }

  @Test
  void endpointThatRefusesConnectionsIsAConnectError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    admin = new YggdrasilAdmin(vertx, AdminEndpoint.parse("tcp://127.0.0.1:" + port), JSON, LIMITS);
    AdminException e = failure(admin.self());
    assertEquals(AdminException.Kind.CONNECT, e.kind());
  }

  @Test
  void twoIdenticalCallsInFlightShareOneRequest() throws Exception {
    SimulatedOverlay overlay = new SimulatedOverlay(3, 9).remoteDelay(Duration.ofMillis(200));
    serve(overlay);
    CompletableFuture<JsonNode> first = admin.nodeInfo(overlay.key(1));
    CompletableFuture<JsonNode> second = admin.nodeInfo(overlay.key(1));
    CompletableFuture<JsonNode> other = admin.nodeInfo(overlay.key(2));
    assertEquals(overlay.nodeInfo(1), await(first));
    assertEquals(overlay.nodeInfo(1), await(second));
    assertEquals(overlay.nodeInfo(2), await(other));
    assertEquals(1, server.requests("getNodeInfo", overlay.key(1)));
    assertEquals(1, server.requests("getNodeInfo", overlay.key(2)));
    // Once it is answered, the same call is a new request.
    await(admin.nodeInfo(overlay.key(1)));
    assertEquals(2, server.requests("getNodeInfo", overlay.key(1)));
  }

  @Test
  void callIsRetriedAfterATimeoutAndTheRetryAnswers() throws Exception {
    SimulatedOverlay overlay = new SimulatedOverlay(3, 9).remoteDelay(Duration.ZERO);
    AtomicInteger asked = new AtomicInteger();
    serve((name, key) -> asked.getAndIncrement() == 0 ? Reply.never() : overlay.reply(name, key));
    long start = System.nanoTime();
    List<String> keys = await(admin.remotePeers(overlay.key(1)));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(overlay.peersOf(1), keys);
    assertEquals(2, server.requests("debug_remoteGetPeers", overlay.key(1)));
    assertTrue(tookMs >= 400, "the first attempt ran to its timeout: " + tookMs + " ms");
  }

  @Test
  void callThatTimesOutEveryTimeFailsAsATimeoutAfterItsRetries() {
    AdminLimits twoRetries =
        new AdminLimits(Duration.ofMillis(150), 2, Duration.ofMillis(10), 1 << 20, 2048, 16384);
    AdminException e = failure(serve((name, key) -> Reply.never(), twoRetries).nodeInfo(REMOTE));
    assertEquals(AdminException.Kind.TIMEOUT, e.kind());
    assertTrue(e.getMessage().contains("within 150 ms"), e.getMessage());
    assertEquals(3, server.requests("getNodeInfo", REMOTE));
  }

  @Test
  void replyArrivingByteByByteWithinTheTimeoutIsRead() throws Exception {
    ObjectNode self =
        JSON.createObjectNode()
            .put("key", LOCAL)
            .put("address", "200::1")
            .put("build_version", "0.5.0");
    AdminLimits patient =
        new AdminLimits(Duration.ofSeconds(5), 0, Duration.ofMillis(10), 1 << 20, 2048, 16384);
    SelfInfo info =
        await(serve((name, key) -> Reply.byteByByte(self, Duration.ofMillis(1)), patient).self());
    assertEquals(LOCAL, info.key());
    assertTrue(server.bytesSent("getSelf", null) > 100, "it was more than a few bytes");
  }

  @Test
  void hugeReplyIsCutOffAtTheSizeLimit() {
    AdminException e = failure(serve((name, key) -> Reply.huge(50L << 20)).self());
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
    assertEquals("the reply is larger than 1048576 bytes", e.getMessage());
    assertEquals(1, server.requests("getSelf", null), "not retried");
  }
}
