package org.canopymesh.crawler.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.canopymesh.crawler.testing.MirrorProcess;
import org.canopymesh.crawler.testing.SwitchableProxy;
import org.canopymesh.crawler.testing.YggdrasilOverlay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service as an operator runs it, killed with SIGKILL in the middle of a crawl: after
 * a restart on the same data directory (embedded PostgreSQL included) the earlier crawl's data is
 * intact, the interrupted crawl is marked failed, and the next crawl completes.
 */
class CrawlerRestartIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  YggdrasilOverlay overlay;
  SwitchableProxy proxy;
  Process service;
  int port;

  @AfterEach
  void cleanUp() throws Exception {
    if (service != null && service.isAlive()) {
      service.destroy();
      if (!service.waitFor(
          Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        service.destroyForcibly();
      }
    }
    if (proxy != null) {
      proxy.close();
    }
    if (overlay != null) {
      overlay.close();
    }
  }

  @Test
  void survivesAKillDuringACrawl() throws Exception {
    overlay = YggdrasilOverlay.builder(dir.resolve("overlay")).nodes(3).chain(0, 1, 2).start();
    overlay.awaitConverged(Duration.ofSeconds(60));
    proxy = new SwitchableProxy(overlay.node(0).adminPort());
    Path data = dir.resolve("data");

    start(data);
    long first = crawl();
    assertEquals("complete", awaitEnd(first).path("status").asText());
    assertEquals(3, get("/api/v1/topology?crawl=" + first).path("nodes").size());

    proxy.blackHole(true);
    long interrupted = crawl();
    assertEquals("running", get("/api/v1/crawls/" + interrupted).path("status").asText());
    service.destroyForcibly().waitFor();
    proxy.blackHole(false);

    start(data);
    JsonNode killed = get("/api/v1/crawls/" + interrupted);
    assertEquals("failed", killed.path("status").asText());
    assertTrue(killed.path("failure").asText().contains("interrupted"), killed.toString());
    assertEquals(3, get("/api/v1/topology?crawl=" + first).path("nodes").size());
    long next = crawl();
    assertEquals("complete", awaitEnd(next).path("status").asText());
    assertEquals(3, get("/api/v1/topology").path("nodes").size());
  }

  private void start(Path data) throws Exception {
    String app = System.getProperty("crawler.app.jar");
    assertTrue(app != null && Files.exists(Path.of(app)), "the packaged service exists: " + app);
    port = MirrorProcess.freePort();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    service =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx256m",
                    "-Dcanopy.data-dir=" + data,
                    "-Dquarkus.http.port=" + port,
                    "-Dcanopy.crawler.scheduled=false",
                    "-Dcanopy.crawler.call-timeout=120s",
                    "-Dcanopy.crawler.admin-endpoint=tcp://127.0.0.1:" + proxy.port(),
                    "-jar",
                    app))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("service.log").toFile()))
            .start();
    await(() -> status("/q/health/ready") == 200, Duration.ofSeconds(90), "the service to start");
  }

  private long crawl() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(uri("/api/v1/crawls"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, r.statusCode(), r.body());
    return JSON.readTree(r.body()).path("id").asLong();
  }

  private JsonNode awaitEnd(long id) throws Exception {
    JsonNode[] last = new JsonNode[1];
    await(
        () -> {
          last[0] = get("/api/v1/crawls/" + id);
          return !last[0].path("status").asText().equals("running");
        },
        Duration.ofSeconds(120),
        "crawl " + id + " to end");
    return last[0];
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private int status(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** A condition that may throw. */
  private interface Check {
    boolean test() throws Exception;
  }

  private void await(Check check, Duration timeout, String what) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!service.isAlive()) {
        fail("the service exited while waiting for " + what + "; log: " + tail());
      }
      if (check.test()) {
        return;
      }
      Thread.sleep(100); // polling interval of the wait loop
    }
    fail("timed out waiting for " + what + "; log: " + tail());
  }

  private String tail() throws IOException {
    String log = Files.readString(dir.resolve("service.log"));
    return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
  }
}
