package org.canopymesh.map.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.canopymesh.map.testing.MapProcess;
import org.canopymesh.map.testing.Reports;
import org.canopymesh.map.testing.SseClient;
import org.canopymesh.map.testing.TestDatabase;
import org.canopymesh.naming.report.LinkState;
import org.canopymesh.naming.report.PeerKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged map services on one real PostgreSQL, as two replicas behind one Service: a report
 * posted to either reaches the event streams, the map and the node pages of both.
 */
class ReplicaEventsIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private TestDatabase db;
  private MapProcess one;
  private MapProcess two;

  @BeforeEach
  void startReplicas() {
    db = TestDatabase.start(dir.resolve("db"));
    one = replica("one");
    two = replica("two");
  }

  private MapProcess replica(String name) {
    MapProcess p = new MapProcess(dir.resolve(name)).jvm("-Xmx256m");
    db.properties().forEach((k, v) -> p.set(k, v));
    p.set("canopy.data-dir", dir.resolve(name).toString());
    p.start();
    return p;
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {two, one, db}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // Best effort: the next one is still stopped.
      }
    }
  }

  @Test
  void aReportPostedToOneReplicaReachesTheEventStreamOfTheOther() throws Exception {
    Reports.Node a = Reports.node().at(52.50, 13.40).island("Kreuzberg");
    Reports.Node b = Reports.node().at(52.51, 13.41).island("Kreuzberg");
    try (SseClient onTwo = new SseClient(events(two), null);
        SseClient onOne = new SseClient(events(one), null)) {
      Instant now = Reports.now();
      assertEquals(202, post(one, b.report(now)));
      onTwo.await(b.key(), Duration.ofSeconds(5));
      onOne.await(b.key(), Duration.ofSeconds(5));

      a.peer(b, PeerKind.LOCAL, LinkState.UP, Duration.ofMillis(4));
      assertEquals(202, post(two, a.report(now)));
      onOne.await(a.key(), Duration.ofSeconds(5));
      // Each replica computes its own rounds: the one posted to may be the later.
      onTwo.await(a.key(), Duration.ofSeconds(5));
    }
    for (MapProcess p : new MapProcess[] {one, two}) {
      for (Reports.Node n : new Reports.Node[] {a, b}) {
        HttpResponse<String> r = p.get("/api/v1/nodes/" + n.key());
        assertEquals(200, r.statusCode(), p.url() + " " + n.key() + ": " + r.body());
      }
    }
  }

  private static URI events(MapProcess p) {
    return p.url().resolve("/api/v1/events");
  }

  private static int post(MapProcess p, String note) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(p.url().resolve("/api/v1/reports"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(note.getBytes(StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }
}
