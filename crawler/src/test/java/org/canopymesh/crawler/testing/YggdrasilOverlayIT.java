package org.canopymesh.crawler.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.canopymesh.naming.key.SigningKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs real yggdrasil 0.4.7 nodes through {@link YggdrasilOverlay} and checks what the crawler's
 * tests will rely on: links, keys and addresses as configured, and remote admin calls that cross
 * several hops. Topology: chain 0-1-2-3, node 3 is a hub with leaves 4 and 5; node 5 hides its
 * build info (NodeInfoPrivacy).
 */
class YggdrasilOverlayIT {
  private static final int HUB = 3;
  private static final int PRIVATE = 5;
  private static final SigningKey GIVEN_KEY = SigningKey.fromSeed(new byte[32]);

  @TempDir static Path dir;

  private static YggdrasilOverlay overlay;

  @BeforeAll
  static void startOverlay() {
    YggdrasilOverlay.Builder builder =
        YggdrasilOverlay.builder(dir)
            .nodes(6)
            .chain(0, 1, 2, HUB)
            .star(HUB, 4, PRIVATE)
            .key(0, GIVEN_KEY)
            .privacy(PRIVATE, true);
    for (int i = 0; i < 6; i++) {
      builder.nodeInfo(
          i,
          Map.of(
              "name",
              "n" + i,
              "location",
              Map.of("lat", 52.5, "lon", 13.4),
              "canopy",
              Map.of("records", List.of("r" + i), "island", "kreuzberg")));
    }
    overlay = builder.start();
  }

  @AfterAll
  static void stopOverlay() {
    if (overlay != null) {
      overlay.close();
    }
  }

  @Test
  void everyNodeIsPeeredWithExactlyItsLinkedNeighbours() throws Exception {
    for (int i = 0; i < overlay.size(); i++) {
      Set<String> expected = new TreeSet<>();
      for (int n : overlay.neighbours(i)) {
        expected.add(overlay.node(n).publicKeyHex());
      }
      Set<String> actual = new TreeSet<>();
      for (JsonNode peer : overlay.node(i).admin().response("getPeers").path("peers")) {
        actual.add(peer.path("key").asText());
      }
      assertEquals(expected, actual, "peers of node " + i);
    }
    assertEquals(Set.of(2, 4, 5), overlay.neighbours(HUB));
  }

  @Test
  void nodesRunWithTheGivenOrGeneratedKeysAndDerivedAddresses() throws Exception {
    assertEquals(GIVEN_KEY.verifyingKey().toHex(), overlay.node(0).publicKeyHex());
    Set<String> keys = new TreeSet<>();
    for (YggdrasilOverlay.Node node : overlay.nodes()) {
      JsonNode self = node.admin().response("getSelf");
      assertEquals(node.publicKeyHex(), self.path("key").asText());
      assertEquals(node.address(), self.path("address").asText());
      assertEquals("tcp://127.0.0.1:" + node.adminPort(), node.adminEndpoint());
      assertTrue(node.isRunning());
      keys.add(node.publicKeyHex());
    }
    assertEquals(overlay.size(), keys.size());
    assertEquals(List.of(), overlay.unconvergedRoutes());
  }

  @Test
  void remoteGetPeersReachesTheHubThreeHopsAway() throws Exception {
    YggdrasilOverlay.Node hub = overlay.node(HUB);
    JsonNode response =
        overlay.node(0).admin().response("debug_remoteGetPeers", Map.of("key", hub.publicKeyHex()));
    // 0.4.7 keys debug_remote* replies by the target's address, not its key.
    Set<String> reported = new TreeSet<>();
    response.path(hub.address()).path("keys").forEach(k -> reported.add(k.asText()));
    Set<String> expected = new TreeSet<>();
    for (int n : overlay.neighbours(HUB)) {
      expected.add(overlay.node(n).publicKeyHex());
    }
    assertEquals(expected, reported, response.toString());
  }

  @Test
  void getNodeInfoReachesTheHubThreeHopsAway() throws Exception {
    YggdrasilOverlay.Node hub = overlay.node(HUB);
    JsonNode info =
        overlay
            .node(0)
            .admin()
            .response("getNodeInfo", Map.of("key", hub.publicKeyHex()))
            .path(hub.publicKeyHex());
    assertEquals("n3", info.path("name").asText(), info.toString());
    assertEquals("kreuzberg", info.path("canopy").path("island").asText());
    assertEquals(52.5, info.path("location").path("lat").asDouble());
    assertTrue(info.has("buildversion"), info.toString());
  }

  @Test
  void nodeInfoPrivacyDropsBuildFieldsButKeepsTheGivenNodeInfo() throws Exception {
    YggdrasilOverlay.Node hidden = overlay.node(PRIVATE);
    JsonNode info =
        overlay
            .node(0)
            .admin()
            .response("getNodeInfo", Map.of("key", hidden.publicKeyHex()))
            .path(hidden.publicKeyHex());
    assertEquals("n5", info.path("name").asText(), info.toString());
    List<String> fields = new ArrayList<>();
    info.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("canopy", "location", "name"), fields.stream().sorted().toList());
  }

  @Test
  void adminSocketClosesAfterOneReplyUnlessAskedToKeepAlive() throws Exception {
    AdminProbe admin = overlay.node(1).admin();
    AdminProbe.Reply plain = admin.call("getSelf");
    assertTrue(plain.isSuccess());
    assertTrue(plain.closedAfterReply());
    assertTrue(plain.json().path("request").isNull(), "0.4.7 does not echo the request");

    AdminProbe.Reply kept = admin.send("{\"request\":\"getSelf\",\"keepalive\":true}");
    assertTrue(kept.isSuccess());
    assertFalse(kept.closedAfterReply());
  }

  @Test
  void argumentsMustBeInTheArgumentsObject() throws Exception {
    String key = overlay.node(1).publicKeyHex();
    AdminProbe.Reply topLevel =
        overlay.node(1).admin().send("{\"request\":\"getNodeInfo\",\"key\":\"" + key + "\"}");
    assertEquals("No remote public key supplied", topLevel.error().orElseThrow());

    AdminProbe.Reply unknown = overlay.node(1).admin().call("getBogus");
    assertEquals("Unknown action 'getbogus', try 'list' for help", unknown.error().orElseThrow());
  }

  @Test
  void stoppingANodeDropsItsLinksAndCloseLeavesNoProcessBehind(@TempDir Path own) throws Exception {
    YggdrasilOverlay small = YggdrasilOverlay.builder(own).nodes(3).chain(0, 1, 2).start();
    try {
      small.stop(1);
      assertFalse(small.node(1).isRunning());
      // The ends lose their only peer; yggdrasil notices the closed TCP link.
      small.awaitConverged(Duration.ofSeconds(30));
      assertEquals(0, small.node(0).admin().response("getPeers").path("peers").size());
      assertTrue(small.node(2).isRunning());
    } finally {
      small.close();
    }
    assertFalse(small.node(0).isRunning());
    assertFalse(small.node(2).isRunning());
    assertEquals(List.of(), processesUsing(own), "processes left under " + own);
  }

  @Test
  void missingBinaryFailsWithAnInstallHint(@TempDir Path own) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                YggdrasilOverlay.builder(own)
                    .nodes(1)
                    .binary(own.resolve("no-such-yggdrasil"))
                    .start());
    assertTrue(
        e.getMessage().contains("install it with 'apt-get install yggdrasil'"), e::getMessage);
  }

  @Test
  void nodeThatCannotStartFailsStartWithItsLogTail(@TempDir Path own) {
    // 0.4.7 refuses NodeInfo over 16384 bytes of JSON and exits at once.
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                YggdrasilOverlay.builder(own)
                    .nodes(2)
                    .link(0, 1)
                    .nodeInfo(1, Map.of("pad", "x".repeat(17_000)))
                    .start());
    assertTrue(e.getMessage().contains("node 1 exited"), e::getMessage);
    assertTrue(
        e.getMessage().contains("NodeInfo exceeds max length of 16384 bytes"), e::getMessage);
    assertEquals(List.of(), processesUsing(own), "processes left under " + own);
  }

  /** Processes whose command line mentions {@code dir}: our nodes and their watchdogs. */
  private static List<Long> processesUsing(Path dir) {
    String needle = dir.toString();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info().arguments().stream()
                    .flatMap(Arrays::stream)
                    .anyMatch(argument -> argument.contains(needle)))
        .map(ProcessHandle::pid)
        .toList();
  }
}
