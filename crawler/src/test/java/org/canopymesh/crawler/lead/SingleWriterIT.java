package org.canopymesh.crawler.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.canopymesh.crawler.db.EmbeddedPostgres;
import org.canopymesh.crawler.testing.IndependentCheck;
import org.canopymesh.crawler.testing.MirrorProcess;
import org.canopymesh.crawler.testing.TestRecords;
import org.canopymesh.crawler.testing.YggdrasilOverlay;
import org.canopymesh.naming.key.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged crawlers of one mirror on one real PostgreSQL, crawling a real overlay: one writes
 * (crawls, appends, signs), the other stands by and forwards its API to the writer; SIGKILL the
 * writer and the standby takes over within a minute, carries the log on from the last checkpoint
 * and appends nothing twice.
 */
class SingleWriterIT {
  static final int NODES = 3;
  static final JsonNode JSON_MISSING = MissingNode.getInstance();

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  private EmbeddedPostgres pg;
  private YggdrasilOverlay overlay;
  private MirrorProcess first;
  private MirrorProcess second;

  @AfterEach
  void stopAll() {
    for (AutoCloseable c : new AutoCloseable[] {second, first, overlay, pg}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // Best effort: the next resource is still stopped.
      }
    }
  }

  @Test
  void aStandbyTakesOverWithinAMinuteOfTheWritersDeathAndAppendsNothingTwice() throws Exception {
    startOverlay();
    pg = EmbeddedPostgres.start(dir.resolve("postgres"), Duration.ofSeconds(60));
    first = crawler(dir.resolve("first")).start();
    second = first.replica(dir.resolve("second")).start();
    assertEquals("writer", role(first));
    assertEquals("standby", role(second));

    // The writer crawls and appends the overlay's three records, plus one submitted through the
    // standby, which forwards it.
    first.await(() -> logSize(first) >= NODES, Duration.ofSeconds(90), "the crawled records");
    SigningKey extraKey = SigningKey.generate(new SecureRandom());
    String extra = TestRecords.note(extraKey, "extra.mesh.alt");
    HttpResponse<String> forwarded = second.submit(extra);
    assertEquals(201, forwarded.statusCode(), forwarded.body());
    assertEquals("standby", forwarded.headers().firstValue("X-Canopy-Forwarded").orElse(""));
    first.await(() -> logSize(first) == NODES + 1, Duration.ofSeconds(30), "the signed append");
    String writer = instanceOfLatestCrawl(first);
    assertEquals(Set.of(writer), crawlInstances(), "only the writer crawled");

    first.kill();
    long killed = System.nanoTime();
    second.await(() -> "writer".equals(role(second)), Duration.ofSeconds(60), "the take-over");
    Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
    System.out.printf("standby took over %d ms after the writer's SIGKILL%n", takeover.toMillis());

    // The new writer crawls the same overlay again: the same records, already in the log.
    String successor = writerCheck(second).path("instance").asText();
    assertNotEquals(writer, successor);
    second.await(
        () -> crawlInstances().size() == 2 && completedCrawlsBy(second, successor) > 0,
        Duration.ofSeconds(90),
        "a complete crawl by the new writer");
    HttpResponse<String> again = second.submit(extra);
    assertEquals(200, again.statusCode(), again.body());
    assertTrue(again.body().contains("\"present\""), again.body());

    assertEquals(NODES + 1, logSize(second), "the log holds each record once");
    Map<String, Long> rows = logRows();
    assertEquals(NODES + 1L, rows.get("entries"));
    assertEquals(rows.get("entries"), rows.get("distinct"));
    // Signed with the same mirror key over the same tree: the same mirror carries on.
    IndependentCheck.Verified cp =
        IndependentCheck.checkpoint(
            second.get("/api/v1/log/checkpoint").body(), first.verifierKey());
    assertEquals(NODES + 1, cp.size());
  }

  private void startOverlay() {
    YggdrasilOverlay.Builder b =
        YggdrasilOverlay.builder(dir.resolve("overlay")).nodes(NODES).chain(0, 1, 2);
    for (int i = 0; i < NODES; i++) {
      SigningKey key = SigningKey.generate(new SecureRandom());
      Map<String, Object> info = new LinkedHashMap<>();
      info.put(
          "canopy",
          Map.of("records", java.util.List.of(TestRecords.note(key, "n" + i + ".mesh.alt"))));
      b.key(i, key).nodeInfo(i, info);
    }
    overlay = b.start();
    overlay.awaitConverged(Duration.ofSeconds(60));
  }

  private MirrorProcess crawler(Path data) {
    return MirrorProcess.create(data, "single-writer.test/mirror")
        .set("quarkus.datasource.jdbc.url", pg.jdbcUrl())
        .set("quarkus.datasource.username", EmbeddedPostgres.USER)
        .set("quarkus.datasource.password", "")
        .set("canopy.crawler.scheduled", "true")
        .set("canopy.crawler.interval", "2s")
        .set("canopy.crawler.admin-endpoint", overlay.node(0).adminEndpoint())
        .set("canopy.crawler.standby-retry", "1s")
        .set("canopy.mirror.checkpoint-interval", "200ms");
  }

  /** The role the writer health check reports: writer or standby. */
  private static String role(MirrorProcess p) {
    return writerCheck(p).path("role").asText("none");
  }

  /** The data of the readiness check named "writer": role, instance, writer URL. */
  private static JsonNode writerCheck(MirrorProcess p) {
    for (JsonNode check : p.getJson("/q/health/ready").path("checks")) {
      if (check.path("name").asText().equals("writer")) {
        return check.path("data");
      }
    }
    return JSON_MISSING;
  }

  private static long logSize(MirrorProcess p) {
    HttpResponse<String> r = p.get("/api/v1/log/checkpoint");
    return r.statusCode() == 200 ? Long.parseLong(r.body().split("\n")[1]) : -1;
  }

  private static String instanceOfLatestCrawl(MirrorProcess p) {
    return p.getJson("/api/v1/crawls?limit=1").path(0).path("instance").asText();
  }

  private static long completedCrawlsBy(MirrorProcess p, String self) {
    long n = 0;
    for (JsonNode c : p.getJson("/api/v1/crawls?limit=50")) {
      n +=
          c.path("instance").asText().equals(self) && c.path("status").asText().equals("complete")
              ? 1
              : 0;
    }
    return n;
  }

  /** The instances recorded by every crawl in the database. */
  private Set<String> crawlInstances() {
    Set<String> all = new HashSet<>();
    query("select distinct instance from crawl", r -> all.add(r.getString(1)));
    return all;
  }

  private Map<String, Long> logRows() {
    Map<String, Long> m = new LinkedHashMap<>();
    query(
        "select count(*), count(distinct leaf_hash) from log_entry",
        r -> {
          m.put("entries", r.getLong(1));
          m.put("distinct", r.getLong(2));
        });
    return m;
  }

  private interface Row {
    void read(ResultSet r) throws SQLException;
  }

  private void query(String sql, Row row) {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgres.USER, "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        row.read(r);
      }
    } catch (SQLException e) {
      throw new AssertionError(sql + ": " + e.getMessage(), e);
    }
  }
}
