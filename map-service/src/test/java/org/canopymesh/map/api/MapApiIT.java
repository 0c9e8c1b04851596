package org.canopymesh.map.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.canopymesh.map.crawl.CrawlerPoller;
import org.canopymesh.map.live.LiveMap;
import org.canopymesh.map.store.MapStore;
import org.canopymesh.map.testing.FakeCrawler;
import org.canopymesh.map.testing.MapServiceResource;
import org.canopymesh.map.testing.Reports;
import org.canopymesh.map.testing.TopologyJson;
import org.canopymesh.naming.report.LinkState;
import org.canopymesh.naming.report.PeerKind;
import org.junit.jupiter.api.Test;

/** The map API against the real service, a real PostgreSQL and a fake crawler. */
@QuarkusTest
@QuarkusTestResource(value = MapServiceResource.class, restrictToAnnotatedClass = true)
class MapApiIT {
  FakeCrawler crawler;
  @Inject LiveMap live;
  @Inject CrawlerPoller poller;
  @Inject MapStore store;

  /** Notes are UTF-8 (the signature lines start with an em dash): sent as bytes. */
  static Response submit(String note) {
    return given()
        .contentType("text/plain")
        .body(note.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post("/api/v1/reports");
  }

  private static void post(String note, int status) {
    submit(note).then().statusCode(status);
  }

  private static JsonPath node(String key) {
    return given().get("/api/v1/nodes/" + key).then().statusCode(200).extract().jsonPath();
  }

  private static List<Map<String, Object>> features(String kind) {
    List<Map<String, Object>> all =
        given()
            .get("/api/v1/map")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("features.properties");
    return all.stream().filter(p -> kind.equals(p.get("feature"))).toList();
  }

  @Test
  void mergesCrawledNodesWithReportsIntoGeoJsonWithIslands() {
    Reports.Node a = Reports.node();
    Reports.Node b = Reports.node();
    Reports.Node c = Reports.node();
    Reports.Node far = Reports.node();
    Instant now = Reports.now();
    crawler.serve(
        new TopologyJson(now)
            .node(a, "alice-roof", 52.5200, 13.4050, null)
            .node(b, "bob-balcony", 52.5210, 13.4070, null)
            .node(c, "unplaced", null, null, null)
            .node(far, "far-away", 48.1371, 11.5754, null)
            .link(a, b)
            .link(b, c)
            .link(a, far)
            .toString());
    poller.pollAll();
    a.peer(b, PeerKind.LOCAL, LinkState.UP, Duration.ofMillis(3));
    post(a.report(now), 202);
    live.recomputeNow();

    List<Map<String, Object>> nodes = features("node");
    List<Object> keys = nodes.stream().map(n -> n.get("key")).toList();
    assertTrue(keys.containsAll(List.of(a.key(), b.key(), far.key())), "located nodes are Points");
    assertTrue(!keys.contains(c.key()), "an unlocated node is not on the geographic map");
    Map<String, Object> ab =
        features("link").stream()
            .filter(l -> l.get("a").equals(min(a, b)) && l.get("b").equals(max(a, b)))
            .findFirst()
            .orElseThrow();
    assertEquals("local", ab.get("kind"));
    assertEquals("live", ab.get("state"));
    assertEquals(3.0f, ((Number) ab.get("latencyMs")).floatValue());
    String island = (String) node(a.key()).get("island.id");
    assertNotNull(island, "a and b share a local link: an island");
    assertEquals(island, node(b.key()).get("island.id"));
    assertNull(node(far.key()).get("island"), "an overlay link makes no island");
    assertEquals("alice-roof area", node(a.key()).get("island.name"));
    assertTrue(
        features("island").stream().anyMatch(i -> i.get("id").equals(island)),
        "the island is a Polygon");
    given()
        .get("/api/v1/graph")
        .then()
        .statusCode(200)
        .body("nodes.key", hasItem(c.key()))
        .body("nodes.find { it.key == '" + c.key() + "' }.lat", equalTo(null));
  }

  @Test
  void mapIsGzippedAndAnswers304WhileUnchanged() {
    live.recomputeNow();
    Response first = given().header("Accept-Encoding", "gzip").get("/api/v1/map");
    first.then().statusCode(200).header("Content-Encoding", "gzip");
    String etag = first.header("ETag");
    assertNotNull(etag);
    given().header("If-None-Match", etag).get("/api/v1/map").then().statusCode(304);
    Reports.Node n = Reports.node().at(1, 2);
    post(n.report(Reports.now()), 202);
    live.recomputeNow();
    String next = given().get("/api/v1/map").then().statusCode(200).extract().header("ETag");
    assertNotEquals(etag, next, "a change gives the map a new ETag");
  }

  @Test
  void rejectsForgedReplayedOversizedStaleAndMalformedReports() {
    Reports.Node n = Reports.node();
    Instant now = Reports.now();
    String good = n.report(now);
    post(good, 202);
    post(good, 400);
    submit(good).then().statusCode(400).body("code", equalTo("replayed"));
    post(n.note(n.seq() - 1 + 1, now), 400);

    Reports.Node other = Reports.node();
    String forged = swapSignature(n.report(now), other.report(now));
    submit(forged)
        .then()
        .statusCode(403)
        .body("code", equalTo("bad-signature"))
        .body("error", not(org.hamcrest.Matchers.containsString("Exception")));

    post(n.report(now.minus(Duration.ofHours(2))), 400);
    post(n.report(now.plus(Duration.ofHours(2))), 400);
    post("canopy-report/v1\nnot a report\n", 400);
    given()
        .contentType("text/plain")
        .body(new byte[70_000])
        .post("/api/v1/reports")
        .then()
        .statusCode(413);
    post(n.report(now), 202);
  }

  @Test
  void limitsTheRateOfEachKey() {
    Reports.Node n = Reports.node();
    Instant now = Reports.now();
    int accepted = 0;
    int limited = 0;
    for (int i = 0; i < 15; i++) {
      int status = submit(n.report(now)).statusCode();
      accepted += status == 202 ? 1 : 0;
      limited += status == 429 ? 1 : 0;
    }
    assertEquals(10, accepted, "the burst is accepted");
    assertEquals(5, limited, "then the key is limited");
    Reports.Node other = Reports.node();
    post(other.report(now), 202);
  }

  @Test
  void findsANodeByKeyOrAddressWithMeshipNameAndPeers() {
    Reports.Node a = Reports.node().at(52.5, 13.4);
    Reports.Node b = Reports.node().at(52.501, 13.401);
    Instant now = Reports.now();
    post(b.report(now), 202);
    a.peer(b, PeerKind.LOCAL, LinkState.UP, Duration.ofMillis(7));
    post(a.report(now), 202);
    live.recomputeNow();
    JsonPath byAddress = node(a.address());
    assertEquals(a.key(), byAddress.get("key"));
    assertTrue(byAddress.getString("meship").endsWith(".meship"));
    assertEquals(b.key(), byAddress.get("peers[0].key"));
    assertEquals("online", byAddress.get("state"));
    assertEquals(true, byAddress.get("new"));
    assertEquals(7.0f, byAddress.getFloat("history[0].points[0].latencyMs"));
    given().get("/api/v1/nodes/" + "ab".repeat(32)).then().statusCode(404);
    given()
        .get("/api/v1/nodes/not-a-node")
        .then()
        .statusCode(400)
        .body("code", equalTo("bad-node-id"));
  }

  @Test
  void linkHistoryIsKeptForADayThenPruned() {
    Reports.Node a = Reports.node();
    Reports.Node b = Reports.node();
    Instant now = Reports.now();
    post(b.report(now), 202);
    a.peer(b, PeerKind.OVERLAY, LinkState.UP, Duration.ofMillis(30));
    post(a.report(now), 202);
    assertEquals(1, store.history(a.key(), Instant.now()).size());
    store.prune(Instant.now().plus(Duration.ofHours(25)), Instant.EPOCH);
    assertTrue(store.history(a.key(), Instant.now()).isEmpty(), "a day later the samples are gone");
  }

  @Test
  void statsCountNodesIslandsAndLinks() {
    live.recomputeNow();
    JsonPath s = given().get("/api/v1/stats").then().statusCode(200).extract().jsonPath();
    int total = s.getInt("nodes.total");
    assertEquals(
        total, s.getInt("nodes.online") + s.getInt("nodes.offline") + s.getInt("nodes.lost"));
    assertEquals(
        s.getInt("links.total"),
        s.getInt("links.live") + s.getInt("links.stale") + s.getInt("links.down"));
    assertEquals(
        s.getInt("islands"), given().get("/api/v1/islands").jsonPath().getList("$").size());
  }

  @Test
  void servesOpenApiHealthMetricsAndSettings() {
    given().get("/q/openapi").then().statusCode(200);
    given().get("/q/health/ready").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
    given()
        .get("/api/v1/settings")
        .then()
        .statusCode(200)
        .body("tileUrl", org.hamcrest.Matchers.startsWith("https://"));
  }

  static String swapSignature(String note, String otherNote) {
    String body = note.substring(0, note.indexOf("\n\n") + 2);
    String sig = otherNote.substring(otherNote.indexOf("\n\n") + 2);
    return body + sig;
  }

  private static String min(Reports.Node x, Reports.Node y) {
    return x.key().compareTo(y.key()) < 0 ? x.key() : y.key();
  }

  private static String max(Reports.Node x, Reports.Node y) {
    return x.key().compareTo(y.key()) < 0 ? y.key() : x.key();
  }
}
