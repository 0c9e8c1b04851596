package org.canopymesh.map.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of {@code GET /api/v1/events}: one connection, read line by line on its own thread, each
 * event stamped with {@link System#nanoTime()} as its last line arrives. A waiter asks for the
 * {@code link} event that gives a link a state and gets the time it arrived.
 */
final class EventStream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong resets = new AtomicLong();
  private final InputStream body;
  private final Thread reader;

  private EventStream(InputStream body) {
    this.body = body;
    this.reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects; returns once the service answered (the subscription is then in place). */
  static EventStream open(URI base) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/v1/events"))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new IOException("GET /api/v1/events answered " + r.statusCode());
    }
    return new EventStream(r.body());
  }

  /** The arrival ({@code nanoTime}) of the next event that sets link a–b to {@code state}. */
  CompletableFuture<Long> expectLink(String a, String b, String state) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    waiting.put(key(a, b, state), f);
    return f;
  }

  void forget(String a, String b, String state) {
    waiting.remove(key(a, b, state));
  }

  long events() {
    return events.get();
  }

  long resets() {
    return resets.get();
  }

  private static String key(String a, String b, String state) {
    return a.compareTo(b) < 0 ? a + ":" + b + ":" + state : b + ":" + a + ":" + state;
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
      String type = "message";
      StringBuilder data = new StringBuilder();
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            dispatch(type, data.toString(), System.nanoTime());
          }
          type = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) {
            data.append('\n');
          }
          data.append(line.substring(5).strip());
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void dispatch(String type, String data, long at) {
    events.incrementAndGet();
    if (type.equals("reset")) {
      resets.incrementAndGet();
      return;
    }
    if (!type.equals("link")) {
      return;
    }
    try {
      JsonNode d = JSON.readTree(data);
      CompletableFuture<Long> f =
          waiting.remove(key(d.path("a").asText(), d.path("b").asText(), d.path("state").asText()));
      if (f != null) {
        f.complete(at);
      }
    } catch (IOException e) {
      // not JSON: not ours to time
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // closing
    }
    try {
      reader.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
