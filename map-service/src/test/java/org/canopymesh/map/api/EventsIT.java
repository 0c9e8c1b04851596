package org.canopymesh.map.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.canopymesh.map.testing.MapServiceResource;
import org.canopymesh.map.testing.Reports;
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

  record Event(String id, String type, String data) {}

  /** A client of the stream: its events arrive in a queue, read on a thread of its own. */
  static final class Stream implements AutoCloseable {
    final BlockingQueue<Event> received = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile java.io.InputStream body;

    Stream(URI uri, String lastEventId) throws Exception {
      HttpRequest.Builder req = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
      if (lastEventId != null) {
        req.header("Last-Event-ID", lastEventId);
      }
      HttpResponse<java.io.InputStream> res =
          HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, res.statusCode());
      body = res.body();
      reader = new Thread(this::read, "sse-test");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String id = null;
        String type = "message";
        StringBuilder data = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
          if (line.isEmpty()) {
            if (data.length() > 0 || !type.equals("message")) {
              received.add(new Event(id, type, data.toString()));
            }
            id = null;
            type = "message";
            data.setLength(0);
          } else if (line.startsWith("id:")) {
            id = line.substring(3).strip();
          } else if (line.startsWith("event:")) {
            type = line.substring(6).strip();
          } else if (line.startsWith("data:")) {
            data.append(line.substring(5).strip());
          }
        }
      } catch (java.io.IOException e) {
        // closed by the test
      }
    }

    /** The first event whose data mentions {@code text}, waiting up to {@code timeout}. */
    Event await(String text, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Event e = received.poll(50, TimeUnit.MILLISECONDS);
        if (e != null && (e.data().contains(text) || e.type().equals(text))) {
          return e;
        }
      }
      throw new AssertionError("no event with " + text + " within " + timeout);
    }

    @Override
    public void close() throws Exception {
      body.close();
    }
  }

  @Test
  void aReportedLinkReachesAConnectedClientWithinASecond() throws Exception {
    Reports.Node a = Reports.node().at(52.5, 13.4);
    Reports.Node b = Reports.node().at(52.51, 13.41);
    try (Stream s = new Stream(events, null)) {
      Instant now = Reports.now();
      MapApiIT.submit(b.report(now)).then().statusCode(202);
      a.peer(b, PeerKind.LOCAL, LinkState.UP, Duration.ofMillis(5));
      long sent = System.nanoTime();
      MapApiIT.submit(a.report(now)).then().statusCode(202);
      Event link =
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
    try (Stream s = new Stream(events, null)) {
      MapApiIT.submit(first.report(Reports.now())).then().statusCode(202);
      lastId = s.await(first.key(), Duration.ofSeconds(5)).id();
    }
    MapApiIT.submit(missed.report(Reports.now())).then().statusCode(202);
    try (Stream again = new Stream(events, lastId)) {
      Event e = again.await(missed.key(), Duration.ofSeconds(5));
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
    try (Stream s = new Stream(URI.create(events + "?after=" + eventId), null)) {
      Event e = s.await(later.key(), Duration.ofSeconds(5));
      assertTrue(Long.parseLong(e.id()) > eventId);
    }
  }

  @Test
  void anUnknownLastEventIdGetsAReset() throws Exception {
    try (Stream s = new Stream(events, "12")) {
      assertEquals("reset", s.await("reset", Duration.ofSeconds(5)).type());
    }
    try (Stream s = new Stream(events, "garbage")) {
      assertEquals("reset", s.await("reset", Duration.ofSeconds(5)).type());
    }
  }
}
