package org.canopymesh.map.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.canopymesh.map.model.CrawlerView;
import org.canopymesh.map.testing.Reports;
import org.canopymesh.map.testing.TopologyJson;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.Service;
import org.junit.jupiter.api.Test;

class TopologyReaderTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  final TopologyReader reader = new TopologyReader(new ObjectMapper(), 100, 100);

  private CrawlerView read(String json) {
    return reader.read("crawler:test", json.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @Test
  void readsNodesLinksAndVerifiedNames() {
    Reports.Node a = Reports.node();
    Reports.Node b = Reports.node();
    String record =
        NameRecord.builder()
            .name("wiki.mesh.alt")
            .key(a.signingKey().verifyingKey())
            .seq(1)
            .validity(NOW, Duration.ofDays(7))
            .service(Service.parse("http:tcp:80"))
            .build()
            .sign(a.signingKey())
            .format();
    CrawlerView v =
        read(
            new TopologyJson(NOW)
                .node(a, "alice", 52.5, 13.4, "Kreuzberg")
                .node(b, null, null, null, null)
                .link(a, b)
                .record(a, record, true)
                .toString());
    assertEquals(2, v.nodes().size());
    assertEquals(1, v.links().size());
    assertEquals("wiki.mesh.alt", v.names().get(a.key()).get(0).name());
    assertEquals("_http._tcp 80", v.names().get(a.key()).get(0).services().get(0));
  }

  @Test
  void skipsMalformedKeysImpossiblePlacesAndControlCharacters() {
    Reports.Node a = Reports.node();
    CrawlerView v =
        read(
            new TopologyJson(NOW)
                .node(a, "evil\u0000\u001b[31mname", 95.0, 13.4, null)
                .rawNode("{\"key\": \"not-a-key\"}")
                .rawNode("{\"key\": 42}")
                .rawNode("[]")
                .toString());
    assertEquals(1, v.nodes().size());
    assertEquals("evil[31mname", v.nodes().get(0).name());
    assertNull(v.nodes().get(0).location(), "latitude 95 is not on Earth");
    assertEquals(a.address(), v.nodes().get(0).address(), "the address is derived from the key");
  }

  @Test
  void ignoresARecordSignedByAnotherKeyThanTheNodes() {
    Reports.Node a = Reports.node();
    Reports.Node stranger = Reports.node();
    String record =
        NameRecord.builder()
            .name("bank.mesh.alt")
            .key(stranger.signingKey().verifyingKey())
            .seq(1)
            .validity(NOW, Duration.ofDays(7))
            .build()
            .sign(stranger.signingKey())
            .format();
    String tampered = record.replace("bank.mesh.alt", "bunk.mesh.alt");
    CrawlerView v =
        read(
            new TopologyJson(NOW)
                .node(a, "a", null, null, null)
                .record(a, record, true)
                .record(a, tampered, true)
                .toString());
    assertTrue(v.names().isEmpty(), "the stranger is not in the topology; the tampered one fails");
  }

  @Test
  void refusesAnswersThatAreNotTopologiesOrTooLarge() {
    assertThrows(TopologyException.class, () -> read("<html>"));
    assertThrows(TopologyException.class, () -> read("{\"nodes\": 1}"));
    TopologyJson big = new TopologyJson(NOW);
    for (int i = 0; i < 101; i++) {
      big.node(Reports.node(), null, null, null, null);
    }
    TopologyException e = assertThrows(TopologyException.class, () -> read(big.toString()));
    assertTrue(e.getMessage().contains("101 nodes"), e.getMessage());
  }
}
