package org.canopymesh.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.canopymesh.naming.report.MacAddress;
import org.junit.jupiter.api.Test;

class LinkQualityTest {
  static BatmanNeighbour iv(String mac) {
    return new BatmanNeighbour(
        MacAddress.parse(mac), "mesh-vpn", Duration.ZERO, OptionalDouble.empty());
  }

  @Test
  void batmanIvUsesTheNeighboursOwnTqOverItself() {
    List<BatmanOriginator> table =
        BatmanTables.originators(Resources.text("report/batman/originators-iv-2016-debugfs.txt"))
            .rows();
    assertEquals(250 / 255.0, LinkQuality.batman(iv("02:42:0a:22:00:03"), table).getAsDouble());
    assertEquals(250 / 255.0, LinkQuality.batman(iv("02:42:0a:22:00:01"), table).getAsDouble());
  }

  @Test
  void batmanIvFallsBackToTheBestRouteThroughTheNeighbour() {
    List<BatmanOriginator> table =
        BatmanTables.originators(Resources.text("report/batman/originators-iv-2018-nH.txt")).rows();
    // 26:67:db:85:d5:df is only a next hop towards 9a:8d:21:f0:6e:93 here, with TQ 240.
    assertEquals(240 / 255.0, LinkQuality.batman(iv("26:67:db:85:d5:df"), table).getAsDouble());
    assertEquals(252 / 255.0, LinkQuality.batman(iv("9a:8d:21:f0:6e:93"), table).getAsDouble());
    assertEquals(OptionalDouble.empty(), LinkQuality.batman(iv("02:00:00:00:00:09"), table));
  }

  @Test
  void batmanVAndExpectedThroughputUseALogScale() {
    BatmanNeighbour n =
        BatmanTables.neighbours(Resources.text("report/batman/neighbors-v-2025.txt")).rows().get(2);
    assertEquals(Math.log10(42.2) / 3, LinkQuality.batman(n, List.of()).getAsDouble(), 1e-12);
    assertEquals(0.0, LinkQuality.throughput(0.5));
    assertEquals(0.0, LinkQuality.throughput(1));
    assertEquals(1 / 3.0, LinkQuality.throughput(10), 1e-12);
    assertEquals(1.0, LinkQuality.throughput(1000));
    assertEquals(1.0, LinkQuality.throughput(2400));
  }
}
