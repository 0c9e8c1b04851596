package org.canopymesh.map.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.canopymesh.map.testing.MapServiceResource;
import org.canopymesh.map.testing.Reports;
import org.canopymesh.map.testing.SseClient;
import org.canopymesh.naming.report.LinkState;
import org.canopymesh.naming.report.PeerKind;
import org.junit.jupiter.api.Test;

/** The event stream: changes arrive without polling, and a reconnecting client catches up. */
@QuarkusTest
@QuarkusTestResource(value = MapServiceResource.class, restrictToAnnotatedClass = true)
class EventsIT {
  @TestHTTPResource("/api/v1/events")
  URI events;

  @jakarta.inject.Inject org.canopymesh.map.live.LiveMap live;

  @Test
  void aReportedLinkReachesAConnectedClientWithinASecond() throws Exception {
    Reports.Node a = Reports.node().at(52.5, 13.4);
    Reports.Node b = Reports.node().at(52.51, 13.41);
    try (SseClient s = new SseClient(events, null)) {
      Instant now = Reports.now();
      MapApiIT.submit(b.report(now)).then().statusCode(202);
      a.peer(b, PeerKind.LOCAL, LinkState.UP, Duration.ofMillis(5));
      long sent = System.nanoTime();
      MapApiIT.submit(a.report(now)).then().statusCode(202);
      SseClient.Event link =
          s.await(
              "\"a\":\"" + (a.key().compareTo(b.key()) < 0 ? a.key() : b.key()),
              Duration.ofSeconds(5));
      long ms = (System.nanoTime() - sent) / 1_000_000;
      assertEquals("link", link.type());
      assertTrue(link.data().contains("\"state\":\"live\""), link.data());
      assertTrue(ms < 1000, "the event took " + ms + " ms");
      s.await("island", Duration.ofSeconds(5));
    }
  }

  @Test
  void aClientThatReconnectsWithLastEventIdGetsWhatItMissed() throws Exception {
    Reports.Node first = Reports.node().at(40, 10);
    Reports.Node missed = Reports.node().at(41, 11);
    String lastId;
    try (SseClient s = new SseClient(events, null)) {
      MapApiIT.submit(first.report(Reports.now())).then().statusCode(202);
      lastId = s.await(first.key(), Duration.ofSeconds(5)).id();
    }
    MapApiIT.submit(missed.report(Reports.now())).then().statusCode(202);
    try (SseClient again = new SseClient(events, lastId)) {
      SseClient.Event e = again.await(missed.key(), Duration.ofSeconds(5));
      assertTrue(Long.parseLong(e.id()) > Long.parseLong(lastId));
    }
  }

  @Test
  void aClientThatLoadedASnapshotResumesRightAfterIt() throws Exception {
    live.recomputeNow();
    long eventId =
        io.restassured.RestAssured.given().get("/api/v1/graph").jsonPath().getLong("eventId");
    Reports.Node later = Reports.node().at(42, 12);
    MapApiIT.submit(later.report(Reports.now())).then().statusCode(202);
    live.recomputeNow();
    try (SseClient s = new SseClient(URI.create(events + "?after=" + eventId), null)) {
      SseClient.Event e = s.await(later.key(), Duration.ofSeconds(5));
      assertTrue(Long.parseLong(e.id()) > eventId);
    }
  }

  @Test
  void anUnknownLastEventIdGetsAReset() throws Exception {
    try (SseClient s = new SseClient(events, "12")) {
      assertEquals("reset", s.await("reset", Duration.ofSeconds(5)).type());
    }
    try (SseClient s = new SseClient(events, "garbage")) {
      assertEquals("reset", s.await("reset", Duration.ofSeconds(5)).type());
    }
  }
}
