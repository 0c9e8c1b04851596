package org.canopymesh.crawler.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.canopymesh.crawler.crawl.CrawlError;
import org.canopymesh.crawler.crawl.CrawlResult;
import org.canopymesh.crawler.crawl.HarvestedRecord;
import org.canopymesh.crawler.crawl.Link;
import org.canopymesh.crawler.crawl.Location;
import org.canopymesh.crawler.crawl.NodeObservation;
import org.canopymesh.crawler.crawl.Outcome;
import org.canopymesh.crawler.crawl.Responded;
import org.canopymesh.crawler.testing.PostgresResource;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.VerifyingKey;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = true)
class TopologyStoreTest {
  static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

  @Inject TopologyStore store;
  @Inject ObjectMapper json;

  static String key(int i) {
    return String.format("%064x", 0x1000L + i);
  }

  NodeObservation node(int i, Responded r, boolean hidden, String name) {
    ObjectNode info = json.createObjectNode().put("name", name);
    String k = key(i);
    String address = OverlayAddress.forKey(VerifyingKey.parseHex(k)).toString();
    List<HarvestedRecord> records =
        hidden
            ? List.of(
                new HarvestedRecord(
                    "secret record " + i, k, "h.mesh.alt", false, "bad-signature", "x"))
            : List.of(
                new HarvestedRecord("record of " + i, k, name + ".mesh.alt", true, null, null));
    return new NodeObservation(
        k,
        address,
        r,
        info,
        name,
        new Location(52.5, 13.4 + i, null),
        "kiez",
        "0.4.7",
        hidden,
        records);
  }

  CrawlResult crawl(Instant at, List<NodeObservation> nodes, Set<Link> links) {
    List<CrawlError> errors =
        List.of(
            new CrawlError("debug_remoteGetPeers", key(3), "timeout", "no reply"),
            new CrawlError("getNodeInfo", key(2), "timeout", "no reply"));
    return new CrawlResult(
        at,
        at.plusSeconds(5),
        Outcome.COMPLETE,
        key(0),
        "0.4.7",
        nodes,
        links,
        errors,
        2,
        10,
        null);
  }

  @Test
  void storesACrawlAndReproducesItLeavingHiddenNodesOut() {
    long id = store.begin("tcp://127.0.0.1:1", "test:1", T0);
    store.finish(
        id,
        crawl(
            T0,
            List.of(
                node(0, Responded.LOCAL, false, "zero"),
                node(1, Responded.YES, false, "one"),
                node(2, Responded.NO, false, "two"),
                node(3, Responded.YES, true, "hidden")),
            Set.of(Link.of(key(0), key(1)), Link.of(key(1), key(2)), Link.of(key(1), key(3)))));

    CrawlRun run = store.run(id).orElseThrow();
    assertEquals("complete", run.status);
    assertEquals(3, run.nodes);
    assertEquals(1, run.hidden);
    assertEquals(2, run.links);
    assertEquals(3, run.records);
    assertEquals(0, run.invalidRecords, "the hidden node's invalid record is not counted");
    assertEquals(2, run.responded - 0, "local and one answered; the hidden one is not counted");
    List<Views.Node> nodes = store.nodes(id);
    assertEquals(List.of(key(0), key(1), key(2)), nodes.stream().map(Views.Node::key).toList());
    assertEquals("one", nodes.get(1).name());
    assertEquals(13.4 + 1, nodes.get(1).location().lon());
    assertEquals("no", nodes.get(2).responded());
    assertEquals(2, store.links(id).size());
    assertTrue(
        store.links(id).stream().noneMatch(l -> l.a().equals(key(3)) || l.b().equals(key(3))));
    List<Views.Record> records = store.records(id);
    assertEquals(3, records.size());
    assertTrue(records.stream().noneMatch(r -> r.note().startsWith("secret")));
    assertTrue(store.node(key(3)).isEmpty(), "a hidden node is not stored by key");
    assertEquals(List.of(key(2)), run.errorSample.stream().map(e -> e.key()).toList());
  }

  @Test
  void aLaterCrawlKeepsHistoryAndPastCrawlsStayReproducible() {
    long first = store.begin("tcp://127.0.0.1:1", "test:1", T0);
    store.finish(
        first,
        crawl(
            T0,
            List.of(node(10, Responded.LOCAL, false, "a"), node(11, Responded.YES, false, "b")),
            Set.of(Link.of(key(10), key(11)))));
    long second = store.begin("tcp://127.0.0.1:1", "test:1", T0.plusSeconds(900));
    store.finish(
        second,
        crawl(T0.plusSeconds(900), List.of(node(10, Responded.LOCAL, false, "a2")), Set.of()));

    assertEquals(2, store.nodes(first).size());
    assertEquals(1, store.links(first).size());
    assertEquals(1, store.nodes(second).size());
    assertEquals("a2", store.nodes(second).get(0).name());
    assertEquals("a", store.nodes(first).get(0).name(), "the first crawl keeps its NodeInfo");
    Views.NodeDetail gone = store.node(key(11)).orElseThrow();
    assertEquals(T0.plusSeconds(5), gone.node().lastSeen());
    assertEquals(1, gone.links().size());
    assertEquals(second, store.latestFinished().orElseThrow());
  }

  @Test
  void storesHostileTextWithoutLosingTheCrawl() {
    long id = store.begin("tcp://127.0.0.1:1", "test:1", T0);
    ObjectNode info = json.createObjectNode().put("name", "nul\u0000name\ttab\\back");
    info.putObject("x\u0000y").put("z", "\u0000");
    String k = key(30);
    NodeObservation n =
        new NodeObservation(
            k,
            OverlayAddress.forKey(VerifyingKey.parseHex(k)).toString(),
            Responded.LOCAL,
            info,
            "nul\u0000name",
            new Location(null, null, "line\nbreak"),
            "is\u0000land",
            null,
            false,
            List.of(
                new HarvestedRecord("rec\u0000ord\n", k, null, false, "malformed-note", "nul")));
    store.finish(id, crawl(T0, List.of(n), Set.of()));

    Views.Node stored = store.nodes(id).get(0);
    assertEquals("nul\uFFFDname", stored.name());
    assertEquals("line\nbreak", stored.location().text());
    assertEquals("rec\uFFFDord\n", store.records(id).get(0).note());
  }

  @Test
  void findsNodesByAddress() {
    long id = store.begin("tcp://127.0.0.1:1", "test:1", T0);
    NodeObservation n = node(20, Responded.LOCAL, false, "addr");
    store.finish(id, crawl(T0, List.of(n), Set.of()));
    assertEquals(n.key(), store.node(n.address()).orElseThrow().node().key());
  }

  @Test
  void failsRunsLeftRunningByADeadProcess() {
    long id = store.begin("tcp://127.0.0.1:1", "test:1", T0);
    assertTrue(store.failInterrupted(T0.plusSeconds(60)) >= 1);
    CrawlRun run = store.run(id).orElseThrow();
    assertEquals("failed", run.status);
    assertFalse(run.failure.isBlank());
  }
}
