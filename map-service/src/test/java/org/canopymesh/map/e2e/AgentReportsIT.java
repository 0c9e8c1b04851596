package org.canopymesh.map.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.canopymesh.map.testing.AgentsResource;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent, running on real Yggdrasil nodes, reports to this service: its signed notes
 * are accepted, and the nodes, their peering and their declared island appear without any crawler.
 */
@QuarkusTest
@QuarkusTestResource(value = AgentsResource.class, restrictToAnnotatedClass = true)
class AgentReportsIT {
  @Test
  void reportsOfRealAgentsPutTheirNodesLinkAndIslandOnTheMap() {
    List<String> keys = AgentsResource.KEYS;
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonPath graph = null;
    while (System.nanoTime() < deadline) {
      graph = given().get("/api/v1/graph").then().statusCode(200).extract().jsonPath();
      if (graph.getList("links").size() == 1 && graph.getList("islands").size() == 1) {
        break;
      }
      LockSupport.parkNanos(100_000_000L); // polling interval of the wait loop
    }
    assertEquals(1, graph.getList("links").size(), graph.prettify());
    assertEquals("live", graph.getString("links[0].state"));
    assertEquals("Kreuzberg", graph.getString("islands[0].name"));
    assertEquals(keys.stream().sorted().toList(), graph.getList("nodes.key"));
    JsonPath a = given().get("/api/v1/nodes/" + keys.get(0)).then().extract().jsonPath();
    assertEquals("online", a.getString("state"));
    assertTrue(a.getList("sources").contains("report"));
    assertEquals(52.5, a.getDouble("location.lat"), 1e-6);
  }
}
