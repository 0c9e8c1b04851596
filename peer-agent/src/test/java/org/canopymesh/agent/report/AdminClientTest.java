package org.canopymesh.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.canopymesh.agent.json.JsonTree;
import org.canopymesh.agent.testing.FakeAdmin;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.VerifyingKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin client against captured 0.4.7 replies, hand-built 0.5 replies and a socket that
 * misbehaves; the real node is {@code AdminClientIT}.
 */
class AdminClientTest {
  static final Duration SHORT = Duration.ofMillis(400);

  @TempDir Path dir;

  static AdminClient client(URI uri) {
    return new AdminClient(uri, SHORT, 64 * 1024);
  }

  @Test
  void readsSelfOfA047NodeAndSendsTheRequestFormItUnderstands() {
    try (FakeAdmin admin =
        FakeAdmin.tcp(FakeAdmin.replying(Resources.bytes("admin/yggdrasil-0.4.7/getSelf.json")))) {
      SelfInfo self = client(admin.uri()).self();
      VerifyingKey key =
          VerifyingKey.parseHex("24d7527411dbb0477cf65ebfbb64b4c052d8d0edcdb869a82ba9792e8b2ebb22");
      assertEquals(key, self.key());
      assertEquals(OverlayAddress.parse("202:d945:6c5f:7122:7dc4:184d:a02:24da"), self.address());
      assertEquals("302:d945:6c5f:7122::/64", self.subnet());
      assertEquals(AdminDialect.V0_4, self.dialect());
      assertEquals(List.of("{\"request\":\"getSelf\",\"arguments\":{}}"), admin.requests());
    }
  }

  @Test
  void readsPeersOfA047Node() {
    try (FakeAdmin admin =
        FakeAdmin.tcp(FakeAdmin.replying(Resources.bytes("admin/yggdrasil-0.4.7/getPeers.json")))) {
      List<PeerInfo> peers = client(admin.uri()).peers();
      assertEquals(2, peers.size());
      PeerInfo a = peers.get(0);
      assertEquals(
          Optional.of(
              VerifyingKey.parseHex(
                  "53572671ae7cfd421d32ff4f49c6ddb67ce3b2354d1c1009aa4ac1a4fa93b8fd")),
          a.key());
      assertEquals(Optional.of("tcp://127.0.0.1:45873"), a.remote());
      assertEquals(Optional.empty(), a.inbound());
      assertTrue(a.up());
      assertEquals(Optional.empty(), a.latency());
      assertEquals(1, a.port());
    }
  }

  @Test
  void readsThe05ShapesIncludingDownPeersAndLatencyInNanoseconds() {
    assertEquals(
        AdminDialect.V0_5,
        AdminReplies.self(response("admin/yggdrasil-0.5/getSelf.json", "getSelf")).dialect());
    List<PeerInfo> peers =
        AdminReplies.peers(response("admin/yggdrasil-0.5/getPeers.json", "getPeers"));
    assertEquals(6, peers.size());
    PeerInfo down = peers.get(0);
    assertFalse(down.up());
    assertEquals(Optional.empty(), down.key());
    assertEquals(Optional.of("tls://ygg-old.example.org:443"), down.remote());
    PeerInfo fra = peers.get(1);
    assertEquals(Optional.of(Duration.ofNanos(18_370_000)), fra.latency());
    assertEquals(Optional.of(false), fra.inbound());
    PeerInfo linkLocal = peers.get(3);
    assertEquals(Optional.of("tls://[fe80::1c2d:3eff:fe4f:5a6b%25eth0]:38247"), linkLocal.remote());
    PeerInfo justConnected = peers.get(4);
    assertEquals(Optional.of(true), justConnected.inbound());
    assertEquals(Optional.empty(), justConnected.latency());
  }

  @Test
  void readsTheReplyWithoutWaitingForTheConnectionToClose() {
    // keepalive-getSelf.json was answered to a request with keepalive: the node kept the
    // connection open. Here it also comes a few bytes at a time.
    byte[] reply = Resources.bytes("admin/yggdrasil-0.4.7/keepalive-getSelf.json");
    try (FakeAdmin admin =
        FakeAdmin.tcp(
            (request, out) -> {
              for (int i = 0; i < reply.length; i += 7) {
                out.write(reply, i, Math.min(7, reply.length - i));
                out.flush();
              }
              FakeAdmin.HANG.answer(request, out);
            })) {
      assertEquals(AdminDialect.V0_4, client(admin.uri()).self().dialect());
    }
  }

  @Test
  void worksOverAUnixSocket() {
    try (FakeAdmin admin =
        FakeAdmin.unix(
            dir.resolve("ygg.sock"),
            FakeAdmin.replying(Resources.bytes("admin/yggdrasil-0.5/getSelf.json")))) {
      assertEquals(AdminDialect.V0_5, client(admin.uri()).self().dialect());
    }
  }

  @Test
  void anErrorReplyBecomesARemoteErrorWithYggdrasilsMessage() {
    try (FakeAdmin admin =
        FakeAdmin.tcp(
            FakeAdmin.replying(
                Resources.bytes("admin/yggdrasil-0.4.7/error-unknownRequest.json")))) {
      AdminException e = assertThrows(AdminException.class, () -> client(admin.uri()).self());
      assertEquals(AdminException.Kind.REMOTE, e.kind());
      assertTrue(e.getMessage().contains("Unknown action 'getbogus'"), e.getMessage());
    }
  }

  @Test
  void aSilentNodeTimesOutAtTheDeadline() {
    try (FakeAdmin admin = FakeAdmin.tcp(FakeAdmin.HANG)) {
      long start = System.nanoTime();
      AdminException e = assertThrows(AdminException.class, () -> client(admin.uri()).peers());
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(AdminException.Kind.TIMEOUT, e.kind());
      assertTrue(tookMs >= SHORT.toMillis() - 50 && tookMs < 5_000, "took " + tookMs + " ms");
    }
  }

  @Test
  void aReplyThatDripsSlowerThanTheDeadlineTimesOut() {
    try (FakeAdmin admin =
        FakeAdmin.tcp(
            (request, out) -> {
              out.write('{');
              while (true) { // one space every 50 ms: each read succeeds, the whole never ends
                out.write(' ');
                out.flush();
                Thread.sleep(50);
              }
            })) {
      AdminException e = assertThrows(AdminException.class, () -> client(admin.uri()).self());
      assertEquals(AdminException.Kind.TIMEOUT, e.kind());
    }
  }

  @Test
  void hostileRepliesAreProtocolErrors() {
    String key = "24d7527411dbb0477cf65ebfbb64b4c052d8d0edcdb869a82ba9792e8b2ebb22";
    List<String> replies =
        List.of(
            "hello",
            "[1,2,3]",
            "{\"status\":\"success\",\"response\":{\"key\":\"",
            "{\"status\":\"success\",\"response\":\"x\"}",
            "{\"status\":\"success\",\"response\":{\"key\":\"not-hex\"}}",
            "{\"status\":\"success\",\"response\":{\"key\":\""
                + key
                + "\",\"address\":\"200::1\"}}",
            "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}",
            "{\"x\":\"" + "y".repeat(100_000) + "\"}");
    for (String reply : replies) {
      try (FakeAdmin admin =
          FakeAdmin.tcp(FakeAdmin.replying(reply.getBytes(StandardCharsets.UTF_8)))) {
        AdminException e = assertThrows(AdminException.class, () -> client(admin.uri()).self());
        assertEquals(
            AdminException.Kind.PROTOCOL,
            e.kind(),
            () -> reply.substring(0, Math.min(40, reply.length())) + ": " + e);
      }
    }
  }

  @Test
  void tooManyPeersIsAProtocolError() {
    StringBuilder peers = new StringBuilder("{\"status\":\"success\",\"response\":{\"peers\":[");
    for (int i = 0; i <= AdminReplies.MAX_PEERS; i++) {
      peers.append(i == 0 ? "" : ",").append("{}");
    }
    peers.append("]}}");
    try (FakeAdmin admin =
        FakeAdmin.tcp(FakeAdmin.replying(peers.toString().getBytes(StandardCharsets.UTF_8)))) {
      AdminException e = assertThrows(AdminException.class, () -> client(admin.uri()).peers());
      assertEquals(AdminException.Kind.PROTOCOL, e.kind());
      assertTrue(e.getMessage().contains("at most 1024"), e.getMessage());
    }
  }

  @Test
  void unreachableEndpointsSayWhatToCheck() {
    AdminException noSocket =
        assertThrows(
            AdminException.class,
            () -> client(URI.create("unix://" + dir.resolve("missing.sock"))).self());
    assertEquals(AdminException.Kind.CONNECT, noSocket.kind());
    assertTrue(noSocket.getMessage().contains("AdminListen"), noSocket.getMessage());

    URI closed;
    try (FakeAdmin admin = FakeAdmin.tcp(FakeAdmin.HANG)) {
      closed = admin.uri();
    }
    AdminException refused = assertThrows(AdminException.class, () -> client(closed).self());
    assertEquals(AdminException.Kind.CONNECT, refused.kind());

    assertThrows(AdminException.class, () -> client(URI.create("http://127.0.0.1:9001")));
  }

  static Map<?, ?> response(String resource, String request) {
    return AdminReplies.response(
        JsonTree.parse(Resources.bytes(resource), JsonTree.Limits.CONFIG), request);
  }
}
