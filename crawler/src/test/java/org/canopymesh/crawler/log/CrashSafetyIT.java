package org.canopymesh.crawler.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.canopymesh.crawler.db.EmbeddedPostgres;
import org.canopymesh.crawler.testing.IndependentCheck;
import org.canopymesh.crawler.testing.MirrorProcess;
import org.canopymesh.crawler.testing.TestRecords;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.log.MerkleTree;
import org.canopymesh.naming.log.Proofs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the naming mirror, as an operator runs it (the packaged jar with its embedded
 * PostgreSQL): killed with SIGKILL, database and all, in the middle of a burst of submissions, it
 * loses no record it acknowledged, comes back with a tree that matches what it signed, and goes on
 * appending. And the database itself refuses to rewrite the log.
 */
class CrashSafetyIT {
  static final int RECORDS = 5000;
  static final int IN_FLIGHT = 32;
  static final int KILL_AFTER_ACKS = 1000;
  static final int NAMES_PER_KEY = 16;

  /** The status of a submission never sent. */
  static final int UNSENT = 0;

  /** The status of a submission whose connection failed before an answer. */
  static final int LOST = -1;

  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  MirrorProcess mirror;

  @AfterEach
  void cleanUp() throws Exception {
    if (mirror != null) {
      mirror.close();
    }
    stopOrphanedPostgres(dir.resolve("mirror").resolve("postgres").resolve("pgdata"));
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void everyAcknowledgedRecordSurvivesAKillDuringABurst() throws Exception {
    long t0 = System.nanoTime();
    List<String> notes = records("burst", RECORDS);
    long t1 = System.nanoTime();
    mirror = mirror().start();
    long t2 = System.nanoTime();

    // The burst, cut by SIGKILL once KILL_AFTER_ACKS records are acknowledged.
    CheckpointWatch watch = CheckpointWatch.start(mirror);
    Submissions burst = submit(notes, KILL_AFTER_ACKS);
    watch.stop();
    assertTrue(burst.killed, "the mirror was killed before the burst ended");
    assertFalse(mirror.isAlive(), "the mirror is dead");
    Map<Integer, Integer> statuses = burst.statusCounts();
    for (int s : statuses.keySet()) {
      assertTrue(
          s == 201 || s == LOST || s == UNSENT, "before the kill every answer is 201: " + statuses);
    }
    assertTrue(
        statuses.getOrDefault(LOST, 0) > 0,
        "submissions were in flight when the mirror died: " + statuses);
    assertTrue(
        statuses.getOrDefault(UNSENT, 0) > RECORDS / 2,
        "the kill came well before the burst's end: " + statuses);
    String lastSignedBeforeKill = watch.latest();
    assertNotNull(lastSignedBeforeKill, "a checkpoint was served before the kill");

    // Restart on the same data; the orphaned PostgreSQL is dealt with by the service.
    long t3 = System.nanoTime();
    mirror.start();
    long t4 = System.nanoTime();
    List<String> log = allEntries(mirror);
    mirror.await(
        () -> checkpointSize(mirror) == log.size(),
        Duration.ofSeconds(10),
        "a checkpoint of all " + log.size() + " committed entries");
    IndependentCheck.Verified signed = checkpoint(mirror);
    assertEquals(log.size(), signed.size(), "the checkpoint covers the whole log");
    assertEquals(log, allEntries(mirror), "the log did not change while the checkpoint was read");
    MerkleTree tree = tree(log);

    // (a) Every acknowledged record is in the log, at the index it was acknowledged with.
    Map<String, Integer> submitted = new HashMap<>();
    for (int i = 0; i < notes.size(); i++) {
      submitted.put(notes.get(i), i);
    }
    Set<Integer> inLog = new HashSet<>();
    for (String entry : log) {
      Integer i = submitted.get(entry);
      assertNotNull(i, "every entry is a submitted record, byte for byte: " + entry);
      assertNotEquals(UNSENT, burst.status.get(i), "only records sent are logged: " + entry);
      inLog.add(i);
    }
    int acked = 0;
    for (int i = 0; i < notes.size(); i++) {
      if (burst.acknowledged(i)) {
        acked++;
        long at = burst.index.get(i);
        assertTrue(at >= 0 && at < log.size(), "acknowledged record " + i + " at " + at);
        assertEquals(notes.get(i), log.get((int) at), "the entry at acknowledged index " + at);
      }
    }
    assertTrue(acked >= KILL_AFTER_ACKS, "acknowledged before the kill: " + acked);

    // (b) No gaps, no duplicates: as many distinct leaves as the checkpoint's size.
    assertEquals(log.size(), inLog.size(), "no record is logged twice");
    Set<String> leaves = new HashSet<>();
    for (String entry : log) {
      leaves.add(hex(LogHashes.leaf(entry.getBytes(StandardCharsets.UTF_8))));
    }
    assertEquals(log.size(), leaves.size(), "leaf hashes are unique");
    int committedUnacked = log.size() - acked;
    assertTrue(committedUnacked >= 0, "the log holds every acknowledged record and no other");

    // (c) The stored tree matches the checkpoint signed before the kill and the one after it.
    IndependentCheck.Verified before =
        IndependentCheck.checkpoint(lastSignedBeforeKill, mirror.verifierKey());
    assertTrue(before.size() <= log.size(), "the log did not shrink below what it signed");
    assertArrayEquals(before.root(), tree.root(before.size()), "the last checkpoint before kill");
    assertArrayEquals(signed.root(), tree.root(log.size()), "the checkpoint after the restart");
    Proofs.verifyConsistency(
        before.size(),
        signed.size(),
        IndependentCheck.hashes(
            mirror
                .getJson(
                    "/api/v1/log/proof/consistency?from=" + before.size() + "&to=" + signed.size())
                .path("proof")),
        before.root(),
        signed.root());

    // (d) Appends continue: resubmitting what was not acknowledged finds the committed ones
    // present and appends the rest; a new record is appended and signed.
    List<Integer> unacked = new ArrayList<>();
    for (int i = 0; i < notes.size(); i++) {
      if (!burst.acknowledged(i)) {
        unacked.add(i);
      }
    }
    long t5 = System.nanoTime();
    Submissions again = submit(unacked.stream().map(notes::get).toList(), Integer.MAX_VALUE);
    long t6 = System.nanoTime();
    for (int j = 0; j < unacked.size(); j++) {
      int i = unacked.get(j);
      int expected = inLog.contains(i) ? 200 : 201;
      assertEquals(expected, again.status.get(j), "resubmitting record " + i);
    }
    String fresh = records("fresh", 1).get(0);
    HttpResponse<String> added = mirror.submit(fresh);
    assertEquals(201, added.statusCode(), added.body());
    long freshIndex = parse(added.body()).path("index").asLong();
    assertEquals(RECORDS, freshIndex, "every burst record is logged once, then the fresh one");
    mirror.await(
        () -> checkpointSize(mirror) > freshIndex,
        Duration.ofSeconds(10),
        "a checkpoint covering the fresh record");
    IndependentCheck.Verified after = checkpoint(mirror);
    List<String> finalLog = allEntries(mirror);
    assertEquals(RECORDS + 1, finalLog.size(), "the burst and the fresh record");
    Set<String> expectedEntries = new HashSet<>(notes);
    expectedEntries.add(fresh);
    assertEquals(expectedEntries, new HashSet<>(finalLog), "each record exactly once");
    assertEquals(log, finalLog.subList(0, log.size()), "the log only grew");
    assertArrayEquals(after.root(), tree(finalLog).root(after.size()), "the latest checkpoint");
    Proofs.verifyInclusion(
        LogHashes.leaf(fresh.getBytes(StandardCharsets.UTF_8)),
        freshIndex,
        after.size(),
        IndependentCheck.hashes(
            mirror
                .getJson(
                    "/api/v1/log/proof/inclusion?index=" + freshIndex + "&size=" + after.size())
                .path("proof")),
        after.root());

    System.out.printf(
        "CrashSafetyIT: %d acknowledged before the kill (%d in flight, %d never sent); %d"
            + " committed but not acknowledged; %d lost in flight and appended on resubmission;"
            + " checkpoint before the kill at %d, after the restart at %d. Took: records %d ms,"
            + " start %d ms, burst %d ms, restart %d ms, resubmission %d ms%n",
        acked,
        statuses.getOrDefault(LOST, 0),
        statuses.getOrDefault(UNSENT, 0),
        committedUnacked,
        unacked.size() - committedUnacked - statuses.getOrDefault(UNSENT, 0),
        before.size(),
        signed.size(),
        millis(t0, t1),
        millis(t1, t2),
        millis(t2, t3),
        millis(t3, t4),
        millis(t5, t6));
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void databaseRefusesToRewriteTheLog() throws Exception {
    List<String> notes = records("kept", 40);
    mirror = mirror().start();
    for (String note : notes) {
      HttpResponse<String> r = mirror.submit(note);
      assertEquals(201, r.statusCode(), r.body());
    }
    mirror.await(
        () -> checkpointSize(mirror) == notes.size(),
        Duration.ofSeconds(10),
        "a checkpoint of the " + notes.size() + " records");
    IndependentCheck.Verified signed = checkpoint(mirror);
    mirror.stop();

    try (EmbeddedPostgres pg =
            EmbeddedPostgres.start(
                dir.resolve("mirror").resolve("postgres"), Duration.ofSeconds(60));
        Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgres.USER, "")) {
      Map<String, List<String>> before = dump(c);
      assertEquals(notes.size(), before.get("log_entry").size(), "the entries are stored");
      assertTrue(before.get("log_checkpoint").size() >= 2, "checkpoints are stored");
      List<String> rewrites =
          List.of(
              "UPDATE log_entry SET source = 'rewritten' WHERE idx = 0",
              "UPDATE log_entry SET entry = entry || '\\x0a'::bytea",
              "DELETE FROM log_entry WHERE idx = (SELECT max(idx) FROM log_entry)",
              "TRUNCATE log_entry",
              "UPDATE log_node SET hash = sha256(hash)",
              "DELETE FROM log_node",
              "TRUNCATE log_node",
              "UPDATE log_checkpoint SET note = ''",
              "DELETE FROM log_checkpoint",
              "TRUNCATE log_checkpoint CASCADE");
      for (String sql : rewrites) {
        SQLException e =
            assertThrows(
                SQLException.class,
                () -> {
                  try (Statement s = c.createStatement()) {
                    s.execute(sql);
                  }
                },
                sql);
        assertTrue(e.getMessage().contains("append-only"), sql + ": " + e.getMessage());
      }
      assertEquals(before, dump(c), "the log is unchanged");
    }

    mirror.start();
    IndependentCheck.Verified restarted = checkpoint(mirror);
    assertEquals(signed.size(), restarted.size(), "the same checkpoint");
    assertArrayEquals(signed.root(), restarted.root(), "the same root");
    assertEquals(notes, allEntries(mirror), "the same entries");
    HttpResponse<String> r = mirror.submit(records("later", 1).get(0));
    assertEquals(201, r.statusCode(), r.body());
  }

  // ---- the mirror ----

  private MirrorProcess mirror() {
    return MirrorProcess.create(dir.resolve("mirror"), "mesh.alt/mirror/crash-safety")
        .set("canopy.mirror.submit-rate", "100000")
        .set("canopy.mirror.submit-burst", "100000")
        .set("canopy.mirror.checkpoint-interval", "200ms");
  }

  private IndependentCheck.Verified checkpoint(MirrorProcess m) {
    HttpResponse<String> r = m.get("/api/v1/log/checkpoint");
    assertEquals(200, r.statusCode(), r.body());
    return IndependentCheck.checkpoint(r.body(), m.verifierKey());
  }

  private static long checkpointSize(MirrorProcess m) {
    HttpResponse<String> r = m.get("/api/v1/log/checkpoint");
    return r.statusCode() == 200 ? Long.parseLong(r.body().split("\n")[1]) : -1;
  }

  /** Every committed entry, page by page, until the mirror says the log ends. */
  private static List<String> allEntries(MirrorProcess m) {
    List<String> out = new ArrayList<>();
    while (true) {
      int start = out.size();
      HttpResponse<String> r =
          m.get("/api/v1/log/entries?start=" + start + "&end=" + (start + 100_000));
      if (r.statusCode() == 400 && r.body().contains("past the log")) {
        return out;
      }
      assertEquals(200, r.statusCode(), r.body());
      JsonNode page = parse(r.body());
      assertTrue(page.size() > 0 && page.size() <= 1000, "a page of 1 to 1000 entries");
      page.forEach(e -> out.add(e.asText()));
    }
  }

  private static MerkleTree tree(List<String> entries) {
    MerkleTree t = new MerkleTree();
    entries.forEach(e -> t.append(e.getBytes(StandardCharsets.UTF_8)));
    return t;
  }

  // ---- submissions ----

  /** {@code count} records of distinct names, {@value #NAMES_PER_KEY} to a key. */
  private static List<String> records(String prefix, int count) {
    return IntStream.range(0, (count + NAMES_PER_KEY - 1) / NAMES_PER_KEY)
        .parallel()
        .mapToObj(
            k -> {
              SigningKey key = SigningKey.generate(RANDOM);
              return IntStream.range(k * NAMES_PER_KEY, Math.min(count, (k + 1) * NAMES_PER_KEY))
                  .mapToObj(i -> TestRecords.note(key, prefix + "-" + i + ".mesh.alt"))
                  .toList();
            })
        .flatMap(List::stream)
        .toList();
  }

  /** The answers to a run of submissions. */
  static final class Submissions {
    final AtomicIntegerArray status;
    final AtomicLongArray index;
    volatile boolean killed;

    Submissions(int n) {
      status = new AtomicIntegerArray(n);
      index = new AtomicLongArray(n);
    }

    boolean acknowledged(int i) {
      return status.get(i) == 201 || status.get(i) == 200;
    }

    Map<Integer, Integer> statusCounts() {
      Map<Integer, Integer> out = new TreeMap<>();
      for (int i = 0; i < status.length(); i++) {
        out.merge(status.get(i), 1, Integer::sum);
      }
      return out;
    }
  }

  /**
   * Submits {@code notes} with {@value #IN_FLIGHT} in flight; once {@code killAfterAcks} are
   * acknowledged it kills the mirror, sends no more, and collects what the ones in flight got.
   */
  private Submissions submit(List<String> notes, int killAfterAcks) throws Exception {
    Submissions out = new Submissions(notes.size());
    AtomicInteger acks = new AtomicInteger();
    Semaphore slots = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    URI uri = mirror.url().resolve("/api/v1/records");
    // A client of its own: no connection pooled before a kill is reused.
    HttpClient client = client();
    for (int i = 0; i < notes.size(); i++) {
      assertTrue(slots.tryAcquire(60, TimeUnit.SECONDS), "a submission was answered");
      int k = i;
      HttpRequest post =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofString(notes.get(k), StandardCharsets.UTF_8))
              .build();
      sent.add(
          client
              .sendAsync(post, HttpResponse.BodyHandlers.ofString())
              .handle(
                  (r, e) -> {
                    try {
                      if (e != null) {
                        out.status.set(k, LOST);
                        return null;
                      }
                      out.status.set(k, r.statusCode());
                      if (r.statusCode() == 201 || r.statusCode() == 200) {
                        out.index.set(k, parse(r.body()).path("index").asLong(-1));
                        acks.incrementAndGet();
                      }
                      return null;
                    } finally {
                      slots.release();
                    }
                  }));
      if (acks.get() >= killAfterAcks) {
        // Right after a send, so at least that one is in flight (answers come in batches: when a
        // slot frees up, all of them may have been answered). The service and its PostgreSQL die
        // together: nothing gets to flush or shut down.
        mirror.killWithDatabase();
        out.killed = true;
        break;
      }
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return out;
  }

  /** Polls the served checkpoint in the background; keeps the newest seen. */
  static final class CheckpointWatch {
    private final AtomicReference<String> latest = new AtomicReference<>();
    private volatile boolean running = true;
    private Thread thread;

    static CheckpointWatch start(MirrorProcess m) {
      CheckpointWatch w = new CheckpointWatch();
      HttpClient client = client();
      w.thread =
          new Thread(
              () -> {
                HttpRequest get =
                    HttpRequest.newBuilder(m.url().resolve("/api/v1/log/checkpoint"))
                        .timeout(Duration.ofSeconds(5))
                        .build();
                while (w.running) {
                  try {
                    HttpResponse<String> r = client.send(get, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                      w.latest.set(r.body());
                    }
                  } catch (IOException e) {
                    // the mirror is dead: keep what was seen
                  } catch (InterruptedException e) {
                    return;
                  }
                  try {
                    Thread.sleep(50); // polling interval
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "checkpoint-watch");
      w.thread.setDaemon(true);
      w.thread.start();
      return w;
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(10_000);
    }

    String latest() {
      return latest.get();
    }
  }

  // ---- the database ----

  /** Every row of the log's tables, as text. */
  private static Map<String, List<String>> dump(Connection c) throws SQLException {
    Map<String, List<String>> out = new TreeMap<>();
    for (String table : List.of("log_entry", "log_node", "log_checkpoint")) {
      List<String> rows = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= columns; i++) {
            row.append(rs.getString(i)).append('|');
          }
          rows.add(row.toString());
        }
      }
      out.put(table, rows);
    }
    return out;
  }

  /**
   * Stops a PostgreSQL server a killed mirror left running in {@code pgdata}, if the test ended
   * before a restarted mirror took it over: by the pid in its pid file, and only if that process
   * runs on this data directory.
   */
  private static void stopOrphanedPostgres(Path pgdata) throws Exception {
    Path pidFile = pgdata.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    var server =
        ProcessHandle.of(pid)
            .filter(
                h -> h.info().commandLine().map(l -> l.contains(pgdata.toString())).orElse(false));
    if (server.isPresent()) {
      server.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown; its clients are gone
      server.get().onExit().get(30, TimeUnit.SECONDS);
    }
  }

  // ---- plumbing ----

  private static JsonNode parse(String json) {
    try {
      return MirrorProcess.JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  /** HTTP/1.1: one connection per request in flight, so a kill cuts each of them. */
  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static long millis(long from, long to) {
    return (to - from) / 1_000_000;
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
