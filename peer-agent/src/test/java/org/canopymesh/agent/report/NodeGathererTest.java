package org.canopymesh.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.canopymesh.agent.testing.FakeAdmin;
import org.canopymesh.naming.key.VerifyingKey;
import org.canopymesh.naming.report.LinkState;
import org.canopymesh.naming.report.PeerKind;
import org.canopymesh.naming.report.PeerLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peer lines from the 0.5 fixture network (crawler/src/test/resources/admin/yggdrasil-0.5). */
class NodeGathererTest {
  static final VerifyingKey SELF =
      VerifyingKey.parseHex("2539c3f560ba1049f813191b362c35c0a889c9ff01898e01fd280da6e0002b44");
  static final String FRA = "001b88044720d5f46bd62a252b84c412623ad070d77bddb8af3a84deaa49379b";
  static final String LAN = "1dd80ba0c3e1d453d40d6aa4fc1168d1dcb8f7670bb22fa1f775d09df8a2c1fd";
  static final String LL = "ecbb76e15d61e13acc27201a662dd2a62aa83b50e2f4fbc98a64ff8d4a17ca29";
  static final String IN1 = "25b8d46bfa38a73c149fdeef4762365ce848d7fbf6161c2e654ee2d8943a1a1f";
  static final String IN2 = "0f31a40ee5481e214f5cacab2ccb467710ce91ce5c255fbe45907abb321b5122";

  @TempDir Path sys;

  final AtomicReference<byte[]> peersReply =
      new AtomicReference<>(Resources.bytes("admin/yggdrasil-0.5/getPeers.json"));

  FakeAdmin admin() {
    byte[] self = Resources.bytes("admin/yggdrasil-0.5/getSelf.json");
    return FakeAdmin.tcp(
        (request, out) -> out.write(request.contains("getSelf") ? self : peersReply.get()));
  }

  NodeGatherer gatherer(FakeAdmin admin, VerifyingKey key) {
    return new NodeGatherer(
        new AdminClient(admin.uri(), Duration.ofSeconds(2), 1 << 20),
        key,
        new L2Survey(Optional.empty(), List.of(), command -> null, sys));
  }

  static String line(PeerLink p) {
    return p.key().toHex().substring(0, 6)
        + " "
        + p.kind().word()
        + " "
        + p.state().word()
        + " "
        + p.latency().map(d -> d.toNanos() / 1000 + "us").orElse("-")
        + " "
        + p.remote().orElse("-");
  }

  @Test
  void peersOfA05NodeLocalFirstWithLatencyAndNoDownPeerWithoutAKey() {
    try (FakeAdmin admin = admin()) {
      Observation o = gatherer(admin, SELF).gather();
      assertEquals(List.of(), o.warnings());
      assertEquals(
          List.of(
              LAN.substring(0, 6) + " local up 610us tcp://192.168.1.20:14242",
              LL.substring(0, 6) + " local up 420us tls://[fe80::1c2d:3eff:fe4f:5a6b%25eth0]:38247",
              FRA.substring(0, 6) + " overlay up 18370us tls://ygg-fra.example.net:443",
              IN2.substring(0, 6) + " overlay up - tcp://[2001:db8:4::17]:40412",
              IN1.substring(0, 6) + " overlay up 41250us tls://198.51.100.23:51876"),
          o.peers().stream().map(NodeGathererTest::line).toList());
    }
  }

  @Test
  void aPeerThatDisappearsIsReportedDownOnceUnlessAnotherLinkToItIsUp() {
    try (FakeAdmin admin = admin()) {
      NodeGatherer g = gatherer(admin, SELF);
      g.gather();
      String all = new String(peersReply.get(), StandardCharsets.UTF_8);
      // FRA's row goes; IN1 reconnects from another port.
      String next =
          all.replace("\"key\": \"" + FRA + "\"", "\"key\": \"\"")
              .replace("tls://198.51.100.23:51876", "tls://198.51.100.23:51999");
      peersReply.set(next.getBytes(StandardCharsets.UTF_8));
      List<PeerLink> second = g.gather().peers();
      PeerLink last = second.get(second.size() - 1);
      assertEquals(VerifyingKey.parseHex(FRA), last.key());
      assertEquals(LinkState.DOWN, last.state());
      assertEquals(PeerKind.OVERLAY, last.kind());
      assertEquals(Optional.empty(), last.latency());
      assertEquals(1, second.stream().filter(p -> p.state() == LinkState.DOWN).count());
      assertTrue(
          second.stream()
              .anyMatch(p -> p.remote().equals(Optional.of("tls://198.51.100.23:51999"))));
      assertEquals(
          0,
          g.gather().peers().stream().filter(p -> p.state() == LinkState.DOWN).count(),
          "down is reported once");
    }
  }

  @Test
  void anAdminEndpointOfAnotherNodeReportsNoPeers() {
    try (FakeAdmin admin = admin()) {
      Observation o = gatherer(admin, VerifyingKey.parseHex(FRA)).gather();
      assertEquals(List.of(), o.peers());
      assertTrue(
          o.warnings().get(0).startsWith("the admin endpoint belongs to node 202:d631"),
          o.warnings().toString());
    }
  }

  @Test
  void aStoppedNodeIsAWarningAndForgetsNothing() {
    NodeGatherer g;
    try (FakeAdmin admin = admin()) {
      g = gatherer(admin, SELF);
      assertEquals(5, g.gather().peers().size());
    }
    Observation o = g.gather();
    assertEquals(List.of(), o.peers());
    assertTrue(
        o.warnings().get(0).startsWith("Yggdrasil admin: cannot reach tcp://127.0.0.1:"),
        o.warnings().toString());
  }
}
