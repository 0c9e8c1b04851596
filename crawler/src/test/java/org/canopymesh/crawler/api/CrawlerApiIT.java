package org.canopymesh.crawler.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.canopymesh.crawler.testing.OverlayResource;
import org.canopymesh.crawler.testing.PostgresResource;
import org.canopymesh.crawler.testing.YggdrasilOverlay;
import org.junit.jupiter.api.Test;

/**
 * The service end to end: HTTP API, crawl, PostgreSQL, against a real overlay. Tests do not rely on
 * each other's order: each starts the crawls it needs and compares with the overlay's state.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OverlayResource.class, restrictToAnnotatedClass = true)
class CrawlerApiIT {
  static final long DEADLINE_MS = 120_000;

  /** Starts a crawl (or joins the one running) and waits for it to end; returns its id. */
  static long crawlNow() {
    Response r = given().post("/api/v1/crawls");
    long id = r.jsonPath().getLong("id");
    if (r.statusCode() != 202 && r.statusCode() != 409) {
      fail("POST /api/v1/crawls answered " + r.statusCode());
    }
    awaitFinished(id);
    if (r.statusCode() == 409) {
      return crawlNow();
    }
    return id;
  }

  static String awaitFinished(long id) {
    long end = System.currentTimeMillis() + DEADLINE_MS;
    while (System.currentTimeMillis() < end) {
      String status = given().get("/api/v1/crawls/" + id).jsonPath().getString("status");
      if (!status.equals("running")) {
        return status;
      }
      try {
        Thread.sleep(100); // polling interval of the wait loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    fail("crawl " + id + " did not finish in " + DEADLINE_MS + " ms");
    return null;
  }

  static YggdrasilOverlay overlay() {
    return OverlayResource.overlay();
  }

  static long publicRunning() {
    return overlay().nodes().stream()
        .filter(n -> n.isRunning() && n.index() != OverlayResource.HIDDEN)
        .count();
  }

  @Test
  void aCrawlStartsAt202AndEndsComplete() {
    long id = crawlNow();
    given()
        .get("/api/v1/crawls/" + id)
        .then()
        .statusCode(200)
        .body("status", equalTo("complete"))
        .body("localKey", equalTo(overlay().node(0).publicKeyHex()))
        .body("counts.hidden", equalTo(1))
        .body("durationMs", notNullValue());
  }

  @Test
  void theTopologyHoldsNodesLinksAndRecordsButNotTheHiddenNode() {
    long id = crawlNow();
    Response r = given().get("/api/v1/topology?crawl=" + id);
    assertEquals(200, r.statusCode());
    List<Map<String, Object>> nodes = r.jsonPath().getList("nodes");
    String hidden = overlay().node(OverlayResource.HIDDEN).publicKeyHex();
    assertTrue(nodes.stream().noneMatch(n -> n.get("key").equals(hidden)));
    assertTrue(nodes.size() >= publicRunning());
    Map<String, Object> n1 =
        nodes.stream()
            .filter(n -> n.get("key").equals(overlay().node(1).publicKeyHex()))
            .findFirst()
            .orElseThrow();
    assertEquals("n1", n1.get("name"));
    assertEquals("kiez", n1.get("island"));
    assertTrue(r.jsonPath().getList("links").size() >= 1);
    List<Map<String, Object>> records = r.jsonPath().getList("records");
    assertTrue(records.stream().allMatch(x -> Boolean.TRUE.equals(x.get("valid"))));
    assertTrue(records.stream().noneMatch(x -> x.get("foundAt").equals(hidden)));
    assertFalse(r.asString().contains(hidden), "the hidden key appears nowhere");
  }

  @Test
  void harvestedRecordsReachTheNamingLogButNotTheHiddenNodes() {
    crawlNow();
    long end = System.currentTimeMillis() + 15_000;
    while (given().get("/api/v1/names/n1.mesh.alt").statusCode() != 200) {
      assertTrue(System.currentTimeMillis() < end, "n1.mesh.alt reached the log");
      try {
        Thread.sleep(100); // polling interval of the wait loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    given()
        .get("/api/v1/names/n1.mesh.alt")
        .then()
        .body("status", equalTo("active"))
        .body("record", org.hamcrest.Matchers.containsString(overlay().node(1).publicKeyHex()));
    given().get("/api/v1/names/n" + OverlayResource.HIDDEN + ".mesh.alt").then().statusCode(404);
  }

  @Test
  void theTopologyAnswers304WhileNothingNewFinished() {
    crawlNow();
    Response first = given().get("/api/v1/topology");
    String tag = first.getHeader("ETag");
    assertTrue(tag != null && !tag.isBlank());
    given().header("If-None-Match", tag).get("/api/v1/topology").then().statusCode(304);
    long next = crawlNow();
    Response after = given().header("If-None-Match", tag).get("/api/v1/topology");
    assertEquals(200, after.statusCode());
    assertEquals(next, after.jsonPath().getLong("crawl.id"));
    assertNotEquals(tag, after.getHeader("ETag"));
  }

  @Test
  void aSecondCrawlWhileOneRunsIs409WithTheRunningId() {
    Response a = given().post("/api/v1/crawls");
    Response b = given().post("/api/v1/crawls");
    long id = a.jsonPath().getLong("id");
    if (a.statusCode() == 202) {
      assertEquals(409, b.statusCode());
      assertEquals(id, b.jsonPath().getLong("id"));
      assertTrue(b.jsonPath().getString("error").contains("running"));
    }
    awaitFinished(id);
  }

  @Test
  void findsANodeByKeyOrAddress() {
    crawlNow();
    YggdrasilOverlay.Node n = overlay().node(2);
    given()
        .get("/api/v1/nodes/" + n.publicKeyHex())
        .then()
        .statusCode(200)
        .body("node.address", equalTo(n.address()))
        .body("node.name", equalTo("n2"))
        .body("nodeInfo", hasKey("canopy"));
    given().get("/api/v1/nodes/" + n.address()).then().statusCode(200);
    given().get("/api/v1/nodes/" + n.publicKeyHex().toUpperCase()).then().statusCode(200);
  }

  @Test
  void keepsTheHistoryOfNodesThatStopped() {
    YggdrasilOverlay.Node leaf = overlay().node(4);
    long before = crawlNow();
    overlay().stop(4);
    long after = crawlNow();

    String key = leaf.publicKeyHex();
    assertTrue(given().get("/api/v1/topology?crawl=" + before).asString().contains(key));
    assertFalse(given().get("/api/v1/topology?crawl=" + after).asString().contains(key));
    given().get("/api/v1/nodes/" + key).then().statusCode(200).body("node.name", equalTo("n4"));
  }

  @Test
  void errorsAreJsonWithTheRightStatus() {
    given().get("/api/v1/crawls/987654").then().statusCode(404).body("error", notNullValue());
    given().get("/api/v1/crawls/abc").then().statusCode(400).body("error", notNullValue());
    given().get("/api/v1/crawls?limit=0").then().statusCode(400).body("error", notNullValue());
    given().get("/api/v1/nodes/not-a-node").then().statusCode(400).body("error", notNullValue());
    given()
        .get("/api/v1/nodes/" + "ab".repeat(32))
        .then()
        .statusCode(404)
        .body("error", equalTo("no such node"));
    given().get("/api/v1/topology?crawl=987654").then().statusCode(404);
    given().get("/api/v1/nowhere").then().statusCode(404);
  }

  @Test
  void listsCrawlsNewestFirst() {
    long a = crawlNow();
    long b = crawlNow();
    List<Integer> ids = given().get("/api/v1/crawls?limit=2").jsonPath().getList("id");
    assertEquals(List.of((int) b, (int) a), ids);
  }

  @Test
  void servesOpenApiHealthAndMetrics() {
    given().get("/q/openapi").then().statusCode(200);
    given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/metrics").then().statusCode(200);
  }
}
