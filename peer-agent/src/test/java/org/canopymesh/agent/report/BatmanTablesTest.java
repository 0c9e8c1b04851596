package org.canopymesh.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.canopymesh.naming.report.MacAddress;
import org.junit.jupiter.api.Test;

/** batctl tables as people pasted them (sources in src/test/resources/report/README.md). */
class BatmanTablesTest {
  static MacAddress mac(String s) {
    return MacAddress.parse(s);
  }

  static Parsed<BatmanNeighbour> neighbours(String file) {
    return BatmanTables.neighbours(Resources.text("report/batman/" + file));
  }

  static Parsed<BatmanOriginator> originators(String file) {
    return BatmanTables.originators(Resources.text("report/batman/" + file));
  }

  @Test
  void readsBatmanIvNeighboursWithTheHeaderAndTheTabAfterTheInterface() {
    Parsed<BatmanNeighbour> p = neighbours("neighbors-iv-readme.txt");
    assertEquals(0, p.skippedLines());
    assertEquals(
        List.of(
            new BatmanNeighbour(
                mac("16:7b:3c:c2:bf:b8"),
                "enp0s1",
                Duration.ofMillis(4612),
                OptionalDouble.empty()),
            new BatmanNeighbour(
                mac("ae:1b:bf:52:25:58"),
                "enp0s1",
                Duration.ofMillis(740),
                OptionalDouble.empty())),
        p.rows());
    // The same layout with the tab batctl really prints.
    Parsed<BatmanNeighbour> tab =
        BatmanTables.neighbours("       enp0s1\t  16:7b:3c:c2:bf:b8    4.612s\n");
    assertEquals(p.rows().get(0), tab.rows().get(0));
  }

  @Test
  void readsAGluonNodesNeighboursOnVpnAndVxlan() {
    Parsed<BatmanNeighbour> p = neighbours("neighbors-iv-gluon-2024.txt");
    assertEquals(0, p.skippedLines());
    assertEquals(
        List.of("vxlan", "mesh-vpn"), p.rows().stream().map(BatmanNeighbour::iface).toList());
    assertEquals(Duration.ofMillis(830), p.rows().get(1).lastSeen());
  }

  @Test
  void readsBatmanVNeighboursWithThroughputAndLongInterfaceNames() {
    Parsed<BatmanNeighbour> old = neighbours("neighbors-v-2021-long-ifname.txt");
    assertEquals(0, old.skippedLines());
    assertEquals(
        new BatmanNeighbour(
            mac("00:30:1a:50:2f:9d"),
            "lmb00301a4fc821",
            Duration.ofMillis(356),
            OptionalDouble.of(1.0)),
        old.rows().get(0));
    Parsed<BatmanNeighbour> p = neighbours("neighbors-v-2025.txt");
    assertEquals(3, p.rows().size());
    assertEquals(Duration.ofMillis(75_020), p.rows().get(1).lastSeen());
    assertEquals(OptionalDouble.of(42.2), p.rows().get(2).throughputMbps());
    assertEquals("wlan0", p.rows().get(2).iface());
  }

  @Test
  void readsNetlinkOriginatorsWithTheBestRouteMarked() {
    Parsed<BatmanOriginator> p = originators("originators-iv-2018-nH.txt");
    assertEquals(0, p.skippedLines());
    assertEquals(5, p.rows().size());
    BatmanOriginator best = p.rows().get(4);
    assertTrue(best.best());
    assertEquals(best.originator(), best.nexthop());
    assertEquals(OptionalInt.of(252), best.tq());
    assertEquals("vlan-gt-299", best.iface());
    assertEquals("mesh_fastd_99", p.rows().get(0).iface());
    assertFalse(p.rows().get(0).best());
  }

  @Test
  void readsTheOldDebugfsLayoutWithItsPotentialNextHops() {
    Parsed<BatmanOriginator> p = originators("originators-iv-2016-debugfs.txt");
    assertEquals(0, p.skippedLines());
    // Four originators, each reachable through both neighbours.
    assertEquals(8, p.rows().size());
    BatmanOriginator viaOther =
        p.rows().stream()
            .filter(
                o ->
                    o.originator().equals(mac("02:42:0a:22:00:04"))
                        && o.nexthop().equals(mac("02:42:0a:22:00:01")))
            .findFirst()
            .orElseThrow();
    assertEquals(OptionalInt.of(147), viaOther.tq());
    assertFalse(viaOther.best());
    assertEquals(
        2, p.rows().stream().filter(o -> o.best() && o.originator().equals(o.nexthop())).count());
  }

  @Test
  void readsBatmanVOriginators() {
    Parsed<BatmanOriginator> p = originators("originators-v-2025-openwrt.txt");
    assertEquals(
        List.of(
            new BatmanOriginator(
                mac("bc:2a:33:96:af:68"),
                mac("bc:2a:33:96:af:68"),
                "wlan0",
                Duration.ofMillis(700),
                true,
                OptionalInt.empty(),
                OptionalDouble.of(7.2))),
        p.rows());
  }

  @Test
  void maskedAddressesAndGarbageAreSkippedAndCounted() {
    Parsed<BatmanOriginator> masked = originators("originators-iv-masked-guide.txt");
    assertEquals(List.of(), masked.rows());
    assertEquals(4, masked.skippedLines());

    String hostile =
        String.join(
            "\n",
            "Error - interface bat0 is not present or not a batman-adv interface",
            "wlan0 16:7b:3c:c2:bf:b8 4.612", // no unit
            "wlan0 16:7b:3c:c2:bf:b8 -4.612s",
            "wlan0 ff:ff:ff:ff:ff:ff 0.100s", // broadcast is no neighbour
            "wlan0 00:00:00:00:00:00 0.100s",
            "wlan0 16:7b:3c:c2:bf:b8 99999999999.000s",
            "x".repeat(10_000),
            "\u0000\u0001 binary",
            "       wlan0     16:7b:3c:c2:bf:b9    0.100s   trailing junk",
            "       wlan0     16:7b:3c:c2:bf:ba    0.100s");
    Parsed<BatmanNeighbour> p = BatmanTables.neighbours(hostile);
    assertEquals(
        List.of(mac("16:7b:3c:c2:bf:ba")), p.rows().stream().map(BatmanNeighbour::mac).toList());
    assertEquals(9, p.skippedLines());

    Parsed<BatmanOriginator> o =
        BatmanTables.originators(
            " * 9a:8d:21:f0:6e:93    0.420s   (256) 9a:8d:21:f0:6e:93 [wlan0]");
    assertEquals(List.of(), o.rows(), "a TQ over 255 is no TQ");
  }

  @Test
  void hugeOutputIsBoundedInRows() {
    String line = "       wlan0     16:7b:3c:c2:bf:b8    0.100s\n";
    Parsed<BatmanNeighbour> p = BatmanTables.neighbours(line.repeat(BatmanTables.MAX_ROWS + 10));
    assertEquals(BatmanTables.MAX_ROWS, p.rows().size());
    assertEquals(10, p.skippedLines());
  }
}
