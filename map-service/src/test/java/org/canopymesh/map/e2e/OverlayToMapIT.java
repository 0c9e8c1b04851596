package org.canopymesh.map.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.canopymesh.map.testing.OverlayResource;
import org.canopymesh.map.web.Chromium;
import org.junit.jupiter.api.Test;

/**
 * End to end: real Yggdrasil nodes → the packaged crawler → this map service. The islands the nodes
 * declare show on the map, the node without a place only in the graph, and the node that asked to
 * be hidden nowhere.
 */
@QuarkusTest
@QuarkusTestResource(value = OverlayResource.class, restrictToAnnotatedClass = true)
class OverlayToMapIT {
  static final List<String> KEYS = OverlayResource.KEYS;

  @TestHTTPResource("/")
  URL page;

  /**
   * Waits until the map shows {@code count} islands and every public node (an early crawl can run
   * before all the peerings are up), then returns the islands.
   */
  private static JsonPath awaitIslands(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonPath islands = null;
    List<String> nodes = List.of();
    while (System.nanoTime() < deadline) {
      islands = given().get("/api/v1/islands").then().statusCode(200).extract().jsonPath();
      nodes = given().get("/api/v1/graph").then().statusCode(200).extract().path("nodes.key");
      if (islands.getList("$").size() >= count && nodes.containsAll(KEYS.subList(0, 6))) {
        return islands;
      }
      LockSupport.parkNanos(100_000_000L); // polling interval of the wait loop
    }
    throw new AssertionError(
        "after "
            + timeout
            + " the map has "
            + nodes.size()
            + " of 6 public nodes and islands "
            + islands.prettify()
            + "\ncrawler log:\n"
            + OverlayResource.crawlerLogTail());
  }

  @Test
  void declaredNeighbourhoodsOfARealOverlayBecomeIslandsOnTheMap() {
    JsonPath islands = awaitIslands(2, Duration.ofSeconds(180));
    Map<String, List<String>> members =
        Map.of(
            islands.getString("find { it.name == 'Kreuzberg' }.id"),
            islands.getList("find { it.name == 'Kreuzberg' }.nodes"),
            islands.getString("find { it.name == 'Neukölln' }.id"),
            islands.getList("find { it.name == 'Neukölln' }.nodes"));
    assertEquals(2, members.size());
    assertEquals(
        List.of(KEYS.get(0), KEYS.get(1), KEYS.get(2)).stream().sorted().toList(),
        islands.getList("find { it.name == 'Kreuzberg' }.nodes"));
    assertEquals(3, islands.getList("find { it.name == 'Neukölln' }.nodes").size());

    List<Map<String, Object>> features =
        given().get("/api/v1/map").then().statusCode(200).extract().jsonPath().getList("features");
    List<Object> points =
        features.stream()
            .filter(f -> type(f).equals("Point"))
            .map(f -> (Object) ((Map<?, ?>) f.get("properties")).get("key"))
            .toList();
    assertEquals(5, points.size(), "five public nodes publish a place");
    assertFalse(points.contains(KEYS.get(5)), "the unplaced node is not on the map");
    assertEquals(2, features.stream().filter(f -> type(f).equals("Polygon")).count());
    assertTrue(features.stream().filter(f -> type(f).equals("LineString")).count() >= 3);

    JsonPath graph = given().get("/api/v1/graph").then().statusCode(200).extract().jsonPath();
    assertTrue(graph.getList("nodes.key").contains(KEYS.get(5)), "the graph has every node");
    assertEquals("online", graph.getString("nodes.find { it.key == '" + KEYS.get(0) + "' }.state"));
  }

  private static String type(Map<String, Object> feature) {
    return (String) ((Map<?, ?>) feature.get("geometry")).get("type");
  }

  @Test
  void thePageShowsTheIslandsOfTheRealOverlay() throws Exception {
    awaitIslands(2, Duration.ofSeconds(180));
    try (Chromium browser = Chromium.desktop()) {
      browser.driver.get(page.toString());
      browser.awaitJs(
          "the page draws both islands and the five placed nodes",
          "const m = document.getElementById('map').dataset;"
              + " return m.islands === '2' && m.nodes === '5';");
      @SuppressWarnings("unchecked")
      List<String> names = (List<String>) browser.js("return window.canopy.islandNames()");
      assertEquals(List.of("Kreuzberg", "Neukölln"), names.stream().sorted().toList());
      browser.screenshot("e2e-overlay-map.png");
    }
  }

  @Test
  void aNodeThatAsksToBeHiddenAppearsNowhere() {
    awaitIslands(2, Duration.ofSeconds(180));
    String hidden = KEYS.get(6);
    for (String path : List.of("/api/v1/map", "/api/v1/graph", "/api/v1/islands")) {
      String body = given().get(path).then().statusCode(200).extract().asString();
      assertFalse(body.contains(hidden), path + " mentions the hidden node");
      assertFalse(body.contains("secret-node"), path + " mentions the hidden node's name");
    }
    given().get("/api/v1/nodes/" + hidden).then().statusCode(404);
  }
}
