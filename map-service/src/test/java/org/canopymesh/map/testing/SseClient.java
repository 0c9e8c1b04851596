package org.canopymesh.map.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A client of the event stream: its events arrive in a queue, read on a thread of its own. */
public final class SseClient implements AutoCloseable {
  /** One server-sent event. */
  public record Event(String id, String type, String data) {}

  public final BlockingQueue<Event> received = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile java.io.InputStream body;

  public SseClient(URI uri, String lastEventId) throws Exception {
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
  public Event await(String text, Duration timeout) throws InterruptedException {
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
