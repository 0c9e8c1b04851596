package org.canopymesh.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.canopymesh.naming.report.MacAddress;
import org.junit.jupiter.api.Test;

/** {@code iw station dump} as people pasted it (sources in src/test/resources/report/README.md). */
class StationDumpTest {
  static Parsed<MeshStation> dump(String file) {
    return StationDump.parse(Resources.text("report/iw/" + file));
  }

  @Test
  void readsAnAth9kMeshStation() {
    Parsed<MeshStation> p = dump("station-dump-libremesh-ath9k.txt");
    assertEquals(0, p.skippedLines());
    assertEquals(
        List.of(
            new MeshStation(
                MacAddress.parse("c0:4a:00:be:7b:09"),
                "wlan0-mesh",
                Optional.of(Duration.ofMillis(140)),
                OptionalInt.of(-14),
                OptionalInt.of(-14),
                OptionalDouble.of(6.5),
                OptionalDouble.of(39.0),
                OptionalDouble.of(2.197),
                Optional.of("ESTAB"),
                OptionalInt.empty())),
        p.rows());
  }

  @Test
  void readsAnOpenWrtWpadMeshStation() {
    MeshStation s = dump("station-dump-openwrt-wpad-mesh.txt").rows().get(0);
    assertEquals("wlan0", s.iface());
    assertEquals(OptionalInt.of(-54), s.signalAvgDbm());
    assertEquals(OptionalDouble.of(115.6), s.txMbps());
    assertEquals(OptionalDouble.of(42.388), s.expectedMbps());
    assertTrue(s.isLinked());
  }

  @Test
  void readsTwoWifi6StationsWithMeshFieldsFirstAndIwsUnpaddedThousandths() {
    Parsed<MeshStation> p = dump("station-dump-mt7986-he.txt");
    assertEquals(0, p.skippedLines());
    assertEquals(2, p.rows().size());
    MeshStation far = p.rows().get(0);
    assertEquals(OptionalInt.of(170), far.airtimeMetric());
    assertEquals(OptionalInt.of(-93), far.signalAvgDbm());
    assertEquals(OptionalDouble.of(72.0), far.txMbps());
    assertEquals(OptionalDouble.of(144.1), far.rxMbps());
    // iw prints thr / 1000 and thr % 1000 with "%u.%u": "63.15" is 63.015 Mbit/s.
    assertEquals(63.015, far.expectedMbps().getAsDouble(), 1e-9);
    MeshStation near = p.rows().get(1);
    assertEquals(OptionalDouble.of(887.703), near.expectedMbps());
    assertEquals(OptionalDouble.empty(), near.rxMbps());
  }

  @Test
  void toleratesTabsTurnedIntoSpacesAndNewerFields() {
    MeshStation s = dump("station-dump-nerves-spaces.txt").rows().get(0);
    assertEquals(Optional.of(Duration.ofMillis(770)), s.inactive());
    assertEquals(OptionalInt.of(-35), s.signalDbm());
    assertEquals(OptionalInt.of(249), s.airtimeMetric());
    assertEquals(Optional.of("ESTAB"), s.plink());
  }

  @Test
  void stationsThatAreNotEstablishedPeersAreNoLinks() {
    String dump =
        "Station aa:bb:cc:dd:ee:02 (on mesh0)\n\tsignal:  \t-80 dBm\n\tmesh plink:\tOPN_SNT\n"
            + "Station aa:bb:cc:dd:ee:04 (on adhoc0)\n\tsignal:  \t-70 dBm\n";
    List<MeshStation> rows = StationDump.parse(dump).rows();
    assertFalse(rows.get(0).isLinked());
    assertTrue(rows.get(1).isLinked(), "an IBSS station has no plink state and is a link");
  }

  @Test
  void malformedFieldsAreLeftEmptyAndStrayLinesCounted() {
    String dump =
        String.join(
            "\n",
            "command failed: No such device (-19)",
            "\tsignal: -50 dBm", // before any station
            "Station 01:00:5e:00:00:01 (on mesh0)", // a group address is no station
            "\tsignal:  \t-50 dBm",
            "Station aa:bb:cc:dd:ee:03 (on mesh0)",
            "\tsignal:  \t-999 dBm",
            "\tsignal avg:\tloud",
            "\tinactive time:\t-5 ms",
            "\ttx bitrate:\t1e9 MBit/s",
            "\texpected throughput:\t12.3456Mbps",
            "\tmesh plink:\testab; rm -rf /",
            "\tmesh airtime link metric: 99999999999",
            "garbage at column zero",
            "");
    Parsed<MeshStation> p = StationDump.parse(dump);
    assertEquals(3, p.skippedLines());
    assertEquals(1, p.rows().size());
    MeshStation s = p.rows().get(0);
    assertEquals(
        new MeshStation(
            MacAddress.parse("aa:bb:cc:dd:ee:03"),
            "mesh0",
            Optional.empty(),
            OptionalInt.empty(),
            OptionalInt.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            Optional.empty(),
            OptionalInt.empty()),
        s);
  }

  @Test
  void hugeOutputIsBoundedInStations() {
    String one = "Station aa:bb:cc:dd:ee:03 (on mesh0)\n\tsignal:  \t-50 dBm\n";
    Parsed<MeshStation> p = StationDump.parse(one.repeat(StationDump.MAX_STATIONS + 5));
    assertEquals(StationDump.MAX_STATIONS, p.rows().size());
  }

  @Test
  void qualityComesFromTheAveragedSignalOnIwinfosScale() {
    assertEquals(
        1.0,
        LinkQuality.station(dump("station-dump-libremesh-ath9k.txt").rows().get(0)).getAsDouble());
    // -54 dBm: (110 - 54) / 70 = 0.8
    assertEquals(
        0.8,
        LinkQuality.station(dump("station-dump-openwrt-wpad-mesh.txt").rows().get(0)).getAsDouble(),
        1e-9);
    List<MeshStation> he = dump("station-dump-mt7986-he.txt").rows();
    assertEquals(17 / 70.0, LinkQuality.station(he.get(0)).getAsDouble(), 1e-9);
    assertEquals(0.0, LinkQuality.signal(-120));
    assertEquals(1.0, LinkQuality.signal(-10));
  }
}
