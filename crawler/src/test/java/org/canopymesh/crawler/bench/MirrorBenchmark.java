package org.canopymesh.crawler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.canopymesh.crawler.db.EmbeddedPostgres;
import org.canopymesh.crawler.testing.IndependentCheck;
import org.canopymesh.crawler.testing.MirrorProcess;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.log.Proofs;
import org.canopymesh.naming.log.TreeFrontier;
import org.canopymesh.naming.record.NameRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The naming mirror's performance targets, measured on packaged crawler processes ({@link
 * MirrorProcess}, each with its own embedded PostgreSQL and {@code -Xmx256m}):
 *
 * <ol>
 *   <li>ingestion: at least 2,000 records/s sustained through {@code POST /api/v1/records};
 *   <li>catch-up: an empty mirror peering the first one holds its 100,000 entries in under 60 s. It
 *       is then restarted, to time the replay at start of a log that holds records only;
 *   <li>inclusion proofs: p99 under 5 ms at 1,000,000 entries, served by the API. The log is grown
 *       to that size offline: synthetic entries (not records; the mirror skips them when it
 *       replays) and their tree hashes are written straight into the stopped mirror's database with
 *       COPY, and the mirror signs a checkpoint of the grown tree when it starts again. Every timed
 *       proof is then verified against that checkpoint. Name lookups (a proof plus the checkpoint
 *       and its cosignatures) are timed too.
 * </ol>
 *
 * <p>Run it with {@code crawler/bench/run mirror [options]}; options: {@code --records=N} (default
 * 100,000), {@code --proof-size=N} (default 1,000,000), {@code --in-flight=N} concurrent
 * submissions (default 64), {@code --requests=N} timed proof and name requests each (default
 * 20,000, after a tenth as many to warm up), {@code --skip-proof}. Data goes to {@code -Dbench.dir}
 * (default {@code crawler/target/bench-mirror-<time>}); every process started is stopped at the
 * end, also on failure. {@code -Dcrawler.app.jar} must name the packaged service.
 */
public final class MirrorBenchmark {
  private static final int NAMES_PER_KEY = 16;
  private static final String ZONE = "mesh.alt";
  private static final long SEED = 20_240_601L;
  private static final int COPY_CHUNK = 250_000;
  private static final HexFormat HEX = HexFormat.of();

  private MirrorBenchmark() {}

  /** The options. */
  private record Options(
      int records, long proofSize, int inFlight, int requests, boolean skipProof) {
    static Options parse(String[] args) {
      int records = 100_000;
      long proofSize = 1_000_000;
      int inFlight = 64;
      int requests = 20_000;
      boolean skipProof = false;
      for (String a : args) {
        if (a.startsWith("--records=")) {
          records = (int) count(a);
        } else if (a.startsWith("--proof-size=")) {
          proofSize = count(a);
        } else if (a.startsWith("--in-flight=")) {
          inFlight = (int) count(a);
        } else if (a.startsWith("--requests=")) {
          requests = (int) count(a);
        } else if (a.equals("--skip-proof")) {
          skipProof = true;
        } else {
          throw new IllegalArgumentException(
              "usage: MirrorBenchmark [--records=N] [--proof-size=N] [--in-flight=N]"
                  + " [--requests=N] [--skip-proof]; unknown: "
                  + a);
        }
      }
      if (records < 1 || inFlight < 1 || requests < 1 || proofSize < 1) {
        throw new IllegalArgumentException("counts must be positive");
      }
      return new Options(records, proofSize, inFlight, requests, skipProof);
    }

    private static long count(String arg) {
      return Long.parseLong(arg.substring(arg.indexOf('=') + 1).replace("_", "").replace(",", ""));
    }
  }

  /** A pre-generated, signed record: its name and its note. */
  private record Rec(String name, byte[] note) {}

  /** The figures the summary prints. */
  private static final class Figures {
    int records;
    double ingestSeconds;
    double ingestSecondHalf;
    int created;
    double catchUpSeconds = Double.NaN;
    long catchUpSize;
    long proofSize;
    double proofP50 = Double.NaN;
    double proofP99 = Double.NaN;
    double proofMax = Double.NaN;
    double nameP50 = Double.NaN;
    double nameP99 = Double.NaN;
    String realReplay;
    final List<String> heap = new ArrayList<>();
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Path dir =
        Path.of(
            System.getProperty(
                "bench.dir",
                "crawler/target/bench-mirror-"
                    + LocalDateTime.now()
                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))));
    Files.createDirectories(dir);
    System.out.printf(
        Locale.ROOT,
        "JVM %s, %d cores; bench client max heap %d MB; mirrors: %s with -Xmx256m; data in %s%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("crawler.app.jar"),
        dir.toAbsolutePath());
    System.out.printf(
        Locale.ROOT,
        "options: %,d records, proof size %,d%s, %d submissions in flight, %,d timed requests%n",
        o.records,
        o.proofSize,
        o.skipProof ? " (skipped)" : "",
        o.inFlight,
        o.requests);

    Figures fig = new Figures();
    fig.records = o.records;
    List<Rec> records = generate(o.records);

    Path aDir = dir.resolve("a");
    Path bDir = dir.resolve("b");
    MirrorProcess a =
        MirrorProcess.create(aDir, ZONE + "/mirror/bench-a")
            .set("canopy.mirror.submit-rate", "1000000")
            .set("canopy.mirror.submit-burst", "1000000");
    MirrorProcess b = null;
    try {
      startTimed(a, "mirror A (empty)");
      int[] recordAt = ingest(a, aDir, records, o.inFlight, fig);
      heap(a, "A after ingestion", fig);

      // B peers A only: A does not know B, so it neither syncs from B nor cosigns B's checkpoints;
      // neither is measured.
      b =
          MirrorProcess.create(bDir, ZONE + "/mirror/bench-b")
              .peers(a)
              .set("canopy.mirror.sync-interval", "1s");
      catchUp(a, b, bDir, fig);
      heap(b, "B after catch-up", fig);
      b.stop();
      stopLeftPostgres(bDir, "B");
      // A log of records only, as a real mirror holds: its replay verifies every record again.
      restart(b, "mirror B again (" + String.format(Locale.ROOT, "%,d", o.records) + " records)");
      fig.realReplay = lastReplay(bDir);
      System.out.println("        " + fig.realReplay);
      // B would flag A's synthetic entries as forged records: it stops before they are written.
      b.stop();
      stopLeftPostgres(bDir, "B");

      if (!o.skipProof) {
        proofs(a, aDir, records, recordAt, o, fig);
        heap(a, "A after the proofs", fig);
      }
      replayLines(aDir, "A");
      replayLines(bDir, "B");
      summary(fig, o);
    } finally {
      if (b != null) {
        b.stop();
        stopLeftPostgres(bDir, "B");
      }
      a.stop();
      stopLeftPostgres(aDir, "A");
    }
  }

  /**
   * Stops the embedded PostgreSQL a mirror left running after it stopped, if it did: its pid from
   * {@code postmaster.pid}, and only if that process runs on the mirror's data directory. SIGTERM,
   * a smart shutdown: the mirror, its only client, is gone.
   */
  private static void stopLeftPostgres(Path mirrorDir, String who) {
    Path data = mirrorDir.resolve("postgres").resolve("pgdata");
    Path pidFile = data.resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return;
      }
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
      Optional<ProcessHandle> pg =
          ProcessHandle.of(pid)
              .filter(
                  h -> h.info().commandLine().map(c -> c.contains(data.toString())).orElse(false));
      if (pg.isEmpty()) {
        return;
      }
      System.out.printf(
          Locale.ROOT,
          "note: %s's embedded PostgreSQL (pid %d) was still running after the mirror stopped;"
              + " stopping it%n",
          who,
          pid);
      pg.get().destroy();
      try {
        pg.get().onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        pg.get().destroyForcibly();
      }
    } catch (IOException | RuntimeException | InterruptedException | ExecutionException e) {
      System.out.printf(Locale.ROOT, "note: could not stop %s's embedded PostgreSQL: %s%n", who, e);
    }
  }

  // ---- records ----

  /** {@code n} signed records of distinct names, 16 names per key, signed in parallel. */
  private static List<Rec> generate(int n) {
    long t0 = System.nanoTime();
    SecureRandom random = new SecureRandom();
    int keys = (n + NAMES_PER_KEY - 1) / NAMES_PER_KEY;
    Instant issued = Instant.now();
    List<Rec> out =
        IntStream.range(0, keys)
            .parallel()
            .mapToObj(
                k -> {
                  SigningKey key = SigningKey.generate(random);
                  List<Rec> mine = new ArrayList<>(NAMES_PER_KEY);
                  for (int i = k * NAMES_PER_KEY; i < Math.min(n, (k + 1) * NAMES_PER_KEY); i++) {
                    String name = "bench-" + i + "." + ZONE;
                    String note =
                        NameRecord.builder()
                            .name(name)
                            .key(key.verifyingKey())
                            .seq(1)
                            .validity(issued, Duration.ofDays(30))
                            .build()
                            .sign(key)
                            .format();
                    mine.add(new Rec(name, note.getBytes(StandardCharsets.UTF_8)));
                  }
                  return mine;
                })
            .flatMap(List::stream)
            .toList();
    System.out.printf(
        Locale.ROOT,
        "generated %,d signed records (%,d keys, %d names each) in %.1f s, before any timing%n",
        out.size(),
        keys,
        NAMES_PER_KEY,
        seconds(t0));
    return out;
  }

  // ---- 1. ingestion ----

  /** Submits every record; returns, by log index, the record each index holds. */
  private static int[] ingest(
      MirrorProcess a, Path aDir, List<Rec> records, int inFlight, Figures fig) throws Exception {
    URI uri = a.url().resolve("/api/v1/records");
    int n = records.size();
    int[] status = new int[n];
    String[] bodies = new String[n];
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    AtomicLong halfAt = new AtomicLong();
    Cpu before = Cpu.of(aDir);
    double clientBefore = ownCpu();
    HeapSampler sampler = HeapSampler.start(a);
    long t0 = System.nanoTime();
    Thread progress = progress(answered, n, t0);
    // A lean client (one keep-alive socket per in-flight slot, plain HTTP/1.1): the JDK's
    // HttpClient costs as much CPU per request as the mirror itself, and both share 2 cores here.
    for (int w = 0; w < inFlight; w++) {
      Thread t =
          new Thread(
              () -> {
                RawHttp http = null;
                for (int at; (at = next.getAndIncrement()) < n; ) {
                  try {
                    if (http == null) {
                      http = new RawHttp(uri);
                    }
                    RawHttp.Answer resp = http.post(records.get(at).note());
                    status[at] = resp.status();
                    bodies[at] = resp.body();
                  } catch (IOException e) {
                    status[at] = -1;
                    bodies[at] = e.toString();
                    http = null;
                  }
                  if (answered.incrementAndGet() == n / 2) {
                    halfAt.set(System.nanoTime());
                  }
                  done.countDown();
                }
              },
              "submit-" + w);
      t.setDaemon(true);
      t.start();
    }
    done.await();
    long end = System.nanoTime();
    double secs = (end - t0) / 1e9;
    progress.interrupt();
    double secondHalf = n >= 2 ? (n - n / 2) / ((end - halfAt.get()) / 1e9) : Double.NaN;
    long heapMax = sampler.stop();
    Cpu used = Cpu.of(aDir).minus(before);
    double clientCpu = ownCpu() - clientBefore;
    Map<Integer, Integer> byStatus = new TreeMap<>();
    for (int s : status) {
      byStatus.merge(s, 1, Integer::sum);
    }
    int created = byStatus.getOrDefault(201, 0);
    fig.ingestSeconds = secs;
    fig.created = created;
    fig.ingestSecondHalf = secondHalf;
    System.out.printf(
        Locale.ROOT,
        "ingestion: %,d records in %.2f s = %,.0f records/s (%,.0f records/s over the second half,"
            + " the JIT warm); answers by status %s%n",
        n,
        secs,
        n / secs,
        secondHalf,
        byStatus);
    System.out.printf(
        Locale.ROOT,
        "           CPU: mirror JVM %.1f s, its PostgreSQL %.1f s, this client %.1f s (of %.1f"
            + " core-seconds); highest mirror heap sampled %s%n",
        used.jvm,
        used.postgres,
        clientCpu,
        secs * Runtime.getRuntime().availableProcessors(),
        mb(heapMax));
    if (created != n) {
      StringBuilder b = new StringBuilder();
      int shown = 0;
      for (int i = 0; i < n && shown < 5; i++) {
        if (status[i] != 201) {
          b.append("\n  ").append(records.get(i).name()).append(": ").append(status[i]);
          b.append(' ').append(bodies[i]);
          shown++;
        }
      }
      throw new IllegalStateException(
          (n - created) + " of " + n + " submissions were not answered 201, e.g.:" + b);
    }
    // Each 201 names its index: every index below n exactly once.
    int[] recordAt = new int[n];
    Arrays.fill(recordAt, -1);
    for (int i = 0; i < n; i++) {
      long index = MirrorProcess.JSON.readTree(bodies[i]).path("index").asLong(-1);
      if (index < 0 || index >= n || recordAt[(int) index] != -1) {
        throw new IllegalStateException(
            "submission " + i + " got index " + index + ": " + bodies[i]);
      }
      recordAt[(int) index] = i;
    }
    JsonNode m = a.getJson("/api/v1/mirror");
    if (m.path("size").asLong() != n) {
      throw new IllegalStateException("A holds " + m.path("size") + " entries, not " + n);
    }
    // The peer syncs from A's checkpoint: it has to cover the whole log first.
    long t1 = System.nanoTime();
    a.await(
        () -> a.getJson("/api/v1/mirror").path("checkpointSize").asLong() == n,
        Duration.ofSeconds(60),
        "a checkpoint of all records");
    System.out.printf(
        Locale.ROOT, "           A signed a checkpoint of size %,d %.1f s later%n", n, seconds(t1));
    return recordAt;
  }

  /** A minimal HTTP/1.1 client on one keep-alive connection: POST a body, read the answer. */
  private static final class RawHttp {
    record Answer(int status, String body) {}

    private final java.net.Socket socket;
    private final java.io.BufferedInputStream in;
    private final java.io.OutputStream out;
    private final byte[] head;

    RawHttp(URI uri) throws IOException {
      socket = new java.net.Socket(uri.getHost(), uri.getPort());
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      in = new java.io.BufferedInputStream(socket.getInputStream());
      out = new java.io.BufferedOutputStream(socket.getOutputStream());
      head =
          ("POST "
                  + uri.getPath()
                  + " HTTP/1.1\r\nHost: "
                  + uri.getHost()
                  + ":"
                  + uri.getPort()
                  + "\r\nContent-Type: text/plain\r\nContent-Length: ")
              .getBytes(StandardCharsets.US_ASCII);
    }

    Answer post(byte[] body) throws IOException {
      out.write(head);
      out.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String statusLine = line();
      if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
        throw new IOException("no HTTP answer: " + statusLine);
      }
      int length = -1;
      for (String h; !(h = line()).isEmpty(); ) {
        if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Integer.parseInt(h.substring(15).strip());
        }
      }
      if (length < 0) {
        throw new IOException("an answer without Content-Length");
      }
      byte[] b = in.readNBytes(length);
      return new Answer(
          Integer.parseInt(statusLine.substring(9, 12)), new String(b, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) {
          throw new IOException("the connection closed");
        }
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }
  }

  /** Prints the submission rate every 10 s while the ingestion runs. */
  private static Thread progress(AtomicInteger answered, int n, long t0) {
    Thread t =
        new Thread(
            () -> {
              int last = 0;
              try {
                while (true) {
                  Thread.sleep(10_000);
                  int now = answered.get();
                  System.out.printf(
                      Locale.ROOT,
                      "  ... %.0f s: %,d of %,d answered, %,.0f records/s in the last 10 s%n",
                      seconds(t0),
                      now,
                      n,
                      (now - last) / 10.0);
                  last = now;
                }
              } catch (InterruptedException e) {
                // the ingestion is over
              }
            },
            "ingest-progress");
    t.setDaemon(true);
    t.start();
    return t;
  }

  // ---- 2. catch-up ----

  private static void catchUp(MirrorProcess a, MirrorProcess b, Path bDir, Figures fig)
      throws Exception {
    long target = a.getJson("/api/v1/mirror").path("size").asLong();
    String aCheckpoint = a.get("/api/v1/log/checkpoint").body();
    long launched = System.nanoTime();
    startTimed(b, "mirror B (empty, peer A, sync every 1 s)");
    long ready = System.nanoTime();
    long atReady = b.getJson("/api/v1/mirror").path("size").asLong();
    HeapSampler sampler = HeapSampler.start(b);
    Cpu before = Cpu.of(bDir);
    long[] size = {atReady};
    b.await(
        () -> (size[0] = b.getJson("/api/v1/mirror").path("size").asLong()) >= target,
        Duration.ofMinutes(15),
        "B to catch up with A's " + target + " entries");
    double secs = seconds(ready);
    long heapMax = sampler.stop();
    Cpu used = Cpu.of(bDir).minus(before);
    fig.catchUpSeconds = secs;
    fig.catchUpSize = target;
    JsonNode peer = b.getJson("/api/v1/mirror").path("peers").path(0);
    System.out.printf(
        Locale.ROOT,
        "catch-up: B holds A's %,d entries %.2f s after it was ready (%.2f s after its launch;"
            + " %,d entries at readiness) = %,.0f entries/s; B's view of A: synced %s, last error"
            + " %s%n",
        target,
        secs,
        seconds(launched),
        atReady,
        (target - atReady) / secs,
        peer.path("synced"),
        peer.path("lastError").isMissingNode() ? "none" : peer.path("lastError").asText());
    System.out.printf(
        Locale.ROOT,
        "          CPU: B's JVM %.1f s, its PostgreSQL %.1f s; highest B heap sampled %s%n",
        used.jvm,
        used.postgres,
        mb(heapMax));
    if (size[0] != target) {
      throw new IllegalStateException("B holds " + size[0] + " entries, A " + target);
    }
    // Same records in the same order: B's tree at that size is A's.
    b.await(
        () -> b.getJson("/api/v1/mirror").path("checkpointSize").asLong() == target,
        Duration.ofSeconds(60),
        "B's checkpoint of size " + target);
    IndependentCheck.Verified va = IndependentCheck.checkpoint(aCheckpoint, a.verifierKey());
    IndependentCheck.Verified vb =
        IndependentCheck.checkpoint(b.get("/api/v1/log/checkpoint").body(), b.verifierKey());
    if (va.size() != vb.size() || !MessageDigest.isEqual(va.root(), vb.root())) {
      throw new IllegalStateException("B's checkpoint of size " + vb.size() + " has another root");
    }
    System.out.printf(
        Locale.ROOT, "          B's signed checkpoint of size %,d has A's root%n", vb.size());
  }

  // ---- 3. proofs at size ----

  private static void proofs(
      MirrorProcess a, Path aDir, List<Rec> records, int[] recordAt, Options o, Figures fig)
      throws Exception {
    long t0 = System.nanoTime();
    a.stop();
    System.out.printf(Locale.ROOT, "proofs: A stopped in %.1f s%n", seconds(t0));
    stopLeftPostgres(aDir, "A");
    long records0 = recordAt.length;
    TreeFrontier frontier = grow(aDir, o.proofSize);
    long size = frontier.size();
    fig.proofSize = size;

    restart(a, "mirror A (" + String.format(Locale.ROOT, "%,d", size) + " entries)");
    JsonNode m = a.getJson("/api/v1/mirror");
    if (m.path("size").asLong() != size || m.path("checkpointSize").asLong() != size) {
      throw new IllegalStateException("A restarted with " + m + ", expected size " + size);
    }
    IndependentCheck.Verified c =
        IndependentCheck.checkpoint(a.get("/api/v1/log/checkpoint").body(), a.verifierKey());
    if (c.size() != size || !MessageDigest.isEqual(c.root(), frontier.root())) {
      throw new IllegalStateException(
          "A's checkpoint (size " + c.size() + ") is not of the tree the bench wrote");
    }
    System.out.printf(
        Locale.ROOT,
        "        A signed a checkpoint of size %,d whose root is the bench's own tree's (signature"
            + " checked with the JDK)%n",
        size);

    HttpClient http = client();
    SplittableRandom random = new SplittableRandom(SEED);
    String proofPath = "/api/v1/log/proof/inclusion";
    String namePath = "/api/v1/names/{name}";
    // Both endpoints share most of their code: both are warmed up before either is timed.
    int warm = Math.max(1, o.requests / 10);
    long tw = System.nanoTime();
    for (int i = 0; i < warm; i++) {
      get(http, a.url().resolve(proofPath + "?index=" + random.nextLong(size) + "&size=" + size));
      get(
          http,
          a.url().resolve("/api/v1/names/" + records.get(random.nextInt(records.size())).name()));
    }
    System.out.printf(
        Locale.ROOT,
        "        warm-up: %,d proofs and %,d name lookups in %.1f s%n",
        warm,
        warm,
        seconds(tw));

    Cpu before = Cpu.of(aDir);
    Gc gcBefore = Gc.of(a);
    Served servedBefore = Served.of(a, proofPath);
    HeapSampler sampler = HeapSampler.start(a);
    long[] indexes = new long[o.requests];
    String[] answers = new String[o.requests];
    double[] ms =
        timed(
            http,
            o.requests,
            i -> {
              long index = random.nextLong(size);
              indexes[i] = index;
              return a.url().resolve(proofPath + "?index=" + index + "&size=" + size);
            },
            (body, i) -> answers[i] = body);
    Cpu used = Cpu.of(aDir).minus(before);
    Gc gc = Gc.of(a).minus(gcBefore);
    Served served = Served.of(a, proofPath).minus(servedBefore);
    Latency proof = Latency.of(ms);
    fig.proofP50 = proof.p50;
    fig.proofP99 = proof.p99;
    fig.proofMax = proof.max;
    System.out.printf(
        Locale.ROOT,
        "        inclusion proofs at size %,d: %,d sequential requests on one keep-alive"
            + " connection, round trip: %s%n",
        size,
        o.requests,
        proof);
    System.out.printf(
        Locale.ROOT,
        "        inside A (its http_server_requests metric): mean %.2f ms over %,d requests; A's"
            + " GC meanwhile: %d pauses, %.0f ms in all; CPU: A's JVM %.1f s (%.0f us a request),"
            + " its PostgreSQL %.1f s%n",
        served.meanMs(),
        served.count,
        gc.count,
        gc.seconds * 1000,
        used.jvm,
        used.jvm * 1e6 / o.requests,
        used.postgres);
    // Every timed proof must take its leaf to the signed root.
    int real = 0;
    for (int i = 0; i < o.requests; i++) {
      long index = indexes[i];
      byte[] entry =
          index < records0 ? records.get(recordAt[(int) index]).note() : syntheticEntry(index);
      Proofs.verifyInclusion(
          LogHashes.leaf(entry),
          index,
          size,
          IndependentCheck.hashes(MirrorProcess.JSON.readTree(answers[i]).path("proof")),
          c.root());
      if (index < records0) {
        real++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "        all %,d timed proofs verified against the signed checkpoint (%,d of them for"
            + " submitted records, the rest for synthetic entries)%n",
        o.requests,
        real);

    // Name lookups: the view, the proof, the checkpoint and its cosignatures.
    Arrays.fill(answers, null);
    int[] picked = new int[o.requests];
    before = Cpu.of(aDir);
    gcBefore = Gc.of(a);
    servedBefore = Served.of(a, namePath);
    double[] nameMs =
        timed(
            http,
            o.requests,
            i -> {
              picked[i] = random.nextInt(records.size());
              return a.url().resolve("/api/v1/names/" + records.get(picked[i]).name());
            },
            (body, i) -> answers[i] = body);
    used = Cpu.of(aDir).minus(before);
    gc = Gc.of(a).minus(gcBefore);
    served = Served.of(a, namePath).minus(servedBefore);
    Latency name = Latency.of(nameMs);
    fig.nameP50 = name.p50;
    fig.nameP99 = name.p99;
    System.out.printf(
        Locale.ROOT,
        "        name lookups (GET /api/v1/names/<name>, records at indexes below %,d), round"
            + " trip: %s%n",
        records0,
        name);
    System.out.printf(
        Locale.ROOT,
        "        inside A: mean %.2f ms over %,d requests; A's GC meanwhile: %d pauses, %.0f ms in"
            + " all; CPU: A's JVM %.1f s (%.0f us a request), its PostgreSQL %.1f s%n",
        served.meanMs(),
        served.count,
        gc.count,
        gc.seconds * 1000,
        used.jvm,
        used.jvm * 1e6 / o.requests,
        used.postgres);
    int checked = 0;
    for (int i = 0; i < o.requests; i += Math.max(1, o.requests / 1000)) {
      String record =
          IndependentCheck.nameAnswer(MirrorProcess.JSON.readTree(answers[i]), a.verifierKey());
      if (!record.equals(new String(records.get(picked[i]).note(), StandardCharsets.UTF_8))) {
        throw new IllegalStateException(
            "the answer for " + records.get(picked[i]).name() + " holds another record");
      }
      checked++;
    }
    System.out.printf(
        Locale.ROOT,
        "        %,d name answers checked (signature with the JDK, proof, record); highest A heap"
            + " sampled during proofs and lookups %s%n",
        checked,
        mb(sampler.stop()));
  }

  /** Sends {@code n} GETs one after the other; returns each one's round trip in ms. */
  private static double[] timed(
      HttpClient http,
      int n,
      java.util.function.IntFunction<URI> uri,
      java.util.function.ObjIntConsumer<String> keep)
      throws Exception {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      URI u = uri.apply(i);
      long t = System.nanoTime();
      String body = get(http, u);
      ms[i] = (System.nanoTime() - t) / 1e6;
      keep.accept(body, i);
    }
    return ms;
  }

  /** A GET that must answer 200; returns the body. */
  private static String get(HttpClient http, URI u) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(30)).GET().build();
    HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      throw new IllegalStateException(u + " answered " + resp.statusCode() + ": " + resp.body());
    }
    return resp.body();
  }

  /** Percentiles of round trips, overall and the p99 of each quarter of the run. */
  private record Latency(
      double p50, double p90, double p99, double p999, double max, double[] quarterP99) {
    static Latency of(double[] raw) {
      double[] sorted = raw.clone();
      Arrays.sort(sorted);
      double[] q = new double[4];
      for (int i = 0; i < 4; i++) {
        double[] part = Arrays.copyOfRange(raw, raw.length * i / 4, raw.length * (i + 1) / 4);
        Arrays.sort(part);
        q[i] = part.length == 0 ? Double.NaN : percentile(part, 99);
      }
      return new Latency(
          percentile(sorted, 50),
          percentile(sorted, 90),
          percentile(sorted, 99),
          percentile(sorted, 99.9),
          sorted[sorted.length - 1],
          q);
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; p99 of each"
              + " quarter of the run %.2f / %.2f / %.2f / %.2f ms",
          p50,
          p90,
          p99,
          p999,
          max,
          quarterP99[0],
          quarterP99[1],
          quarterP99[2],
          quarterP99[3]);
    }
  }

  /** Requests to one endpoint as A's own metrics count them. */
  private record Served(long count, double seconds) {
    static Served of(MirrorProcess m, String uri) {
      String filter = "uri=\"" + uri + "\"";
      return new Served(
          (long) metric(m, "http_server_requests_seconds_count{", filter),
          metric(m, "http_server_requests_seconds_sum{", filter));
    }

    Served minus(Served before) {
      return new Served(count - before.count, seconds - before.seconds);
    }

    double meanMs() {
      return count > 0 ? seconds * 1000 / count : Double.NaN;
    }
  }

  /** The synthetic entry at {@code index}: not a record, so the mirror skips it in its replay. */
  private static byte[] syntheticEntry(long index) {
    return ("bench entry " + index + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Appends synthetic entries to the stopped mirror's database until it holds {@code target}
   * entries, with every complete subtree hash, by COPY in transactions of {@value #COPY_CHUNK}
   * entries. Returns the grown tree's frontier.
   */
  private static TreeFrontier grow(Path aDir, long target) throws Exception {
    long t0 = System.nanoTime();
    try (EmbeddedPostgres pg =
            EmbeddedPostgres.start(aDir.resolve("postgres"), Duration.ofMinutes(2));
        Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgres.USER, "")) {
      long n = single(c, "select coalesce(max(idx) + 1, 0) from log_entry");
      List<byte[]> hashes = new ArrayList<>();
      for (int level = 63; level >= 0; level--) {
        if ((n & (1L << level)) != 0) {
          long start = n & ~((1L << (level + 1)) - 1);
          hashes.add(node(c, level, start >>> level));
        }
      }
      TreeFrontier f = TreeFrontier.of(n, hashes);
      Optional<byte[]> signed = checkpointRoot(c, n);
      if (signed.isPresent() && !MessageDigest.isEqual(signed.get(), f.root())) {
        throw new IllegalStateException(
            "the stored frontier disagrees with the checkpoint at " + n);
      }
      if (n >= target) {
        System.out.printf(
            Locale.ROOT, "        the log already holds %,d entries: nothing to append%n", n);
        return f;
      }
      c.setAutoCommit(false);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      String at = Instant.now().toString();
      long rows = 0;
      for (long start = n; start < target; start += COPY_CHUNK) {
        long end = Math.min(target, start + COPY_CHUNK);
        Ascii entries = new Ascii((int) (end - start) * 160);
        Ascii nodes = new Ascii((int) (end - start) * 2 * 90);
        for (long i = start; i < end; i++) {
          byte[] entry = syntheticEntry(i);
          byte[] leaf = LogHashes.leaf(entry);
          entries.num(i).tab().bytea(leaf).tab().bytea(entry).tab().text("bench").tab();
          entries.text(at).nl();
          f.append(
              leaf,
              (level, index, hash) ->
                  nodes.num(((long) level << 56) | index).tab().bytea(hash).nl());
        }
        rows +=
            copy.copyIn(
                "COPY log_entry (idx, leaf_hash, entry, source, appended_at) FROM STDIN",
                entries.stream());
        rows += copy.copyIn("COPY log_node (id, hash) FROM STDIN", nodes.stream());
        c.commit();
      }
      System.out.printf(
          Locale.ROOT,
          "        appended %,d synthetic entries (%,d to %,d) and their tree hashes (%,d rows in"
              + " all) to A's PostgreSQL with COPY in %.1f s%n",
          target - n,
          n,
          target,
          rows,
          seconds(t0));
      System.out.println(
          "        (synthetic entries are not records: the mirror skips them when it replays at"
              + " start, faster than records, whose signatures it verifies again; proofs are the"
              + " same work for any leaf)");
      return f;
    }
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static byte[] node(Connection c, int level, long index) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select hash from log_node where id = ?")) {
      s.setLong(1, ((long) level << 56) | index);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no hash of subtree " + index + " at level " + level);
        }
        return rs.getBytes(1);
      }
    }
  }

  private static Optional<byte[]> checkpointRoot(Connection c, long size) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select root from log_checkpoint where size = ?")) {
      s.setLong(1, size);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    }
  }

  /** COPY text rows in one growing byte array. */
  private static final class Ascii {
    private byte[] buf;
    private int len;

    Ascii(int capacity) {
      buf = new byte[Math.max(1024, capacity)];
    }

    private void room(int n) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    Ascii text(String s) {
      room(s.length());
      for (int i = 0; i < s.length(); i++) {
        buf[len++] = (byte) s.charAt(i);
      }
      return this;
    }

    Ascii num(long v) {
      return text(Long.toString(v));
    }

    /** A bytea in hex, its backslash escaped for COPY's text format. */
    Ascii bytea(byte[] b) {
      return text("\\\\x").text(HEX.formatHex(b));
    }

    Ascii tab() {
      return text("\t");
    }

    Ascii nl() {
      return text("\n");
    }

    ByteArrayInputStream stream() {
      return new ByteArrayInputStream(buf, 0, len);
    }
  }

  // ---- summary ----

  private static void summary(Figures f, Options o) {
    System.out.println();
    System.out.println("== Summary ==");
    double rate = f.created / f.ingestSeconds;
    System.out.printf(
        Locale.ROOT,
        "ingestion: %,.0f records/s sustained (the second half, the JIT warm; %,.0f/s over all %,d"
            + " records, warm-up included), all %,d answered 201 (target >= 2,000/s"
            + " sustained)%s%s%n",
        f.ingestSecondHalf,
        rate,
        f.records,
        f.created,
        verdict(f.ingestSecondHalf >= 2000),
        f.records == 100_000 ? "" : " (not the target's size)");
    System.out.printf(
        Locale.ROOT,
        "catch-up: an empty mirror took %.2f s to hold %,d entries (target < 60 s for 100,000)%s%s%n",
        f.catchUpSeconds,
        f.catchUpSize,
        verdict(f.catchUpSeconds < 60 * f.catchUpSize / 100_000.0),
        f.catchUpSize == 100_000
            ? ""
            : String.format(
                Locale.ROOT,
                " (not the target's size; judged at its rate: < %.1f s)",
                60 * f.catchUpSize / 100_000.0));
    if (o.skipProof) {
      System.out.println("inclusion proofs: skipped");
    } else {
      System.out.printf(
          Locale.ROOT,
          "inclusion proof at %,d entries: p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 < 5"
              + " ms at 1,000,000)%s%s%n",
          f.proofSize,
          f.proofP50,
          f.proofP99,
          f.proofMax,
          verdict(f.proofP99 < 5),
          f.proofSize == 1_000_000 ? "" : " (not the target's size)");
      System.out.printf(
          Locale.ROOT,
          "name lookup at %,d entries: p50 %.2f ms, p99 %.2f ms (no target)%n",
          f.proofSize,
          f.nameP50,
          f.nameP99);
    }
    System.out.println("startup replay of a log of records only: " + f.realReplay);
    for (String h : f.heap) {
      System.out.println("heap: " + h);
    }
  }

  // ---- the mirrors' heap and CPU ----

  private static void heap(MirrorProcess m, String what, Figures f) {
    long used = heapUsed(m);
    if (used >= 0) {
      String line = String.format(Locale.ROOT, "%s: %s in use of -Xmx256m", what, mb(used));
      System.out.println(line);
      f.heap.add(line + " (not after a GC)");
    }
  }

  /** The sum of {@code jvm_memory_used_bytes{area="heap"}} in /q/metrics; -1 without metrics. */
  private static long heapUsed(MirrorProcess m) {
    return (long) metric(m, "jvm_memory_used_bytes{", "area=\"heap\"");
  }

  /** The sum of a metric's series whose line holds {@code filter}; -1 without it. */
  private static double metric(MirrorProcess m, String prefix, String filter) {
    try {
      HttpResponse<String> r = m.get("/q/metrics");
      if (r.statusCode() != 200) {
        return -1;
      }
      double sum = 0;
      boolean found = false;
      for (String line : r.body().split("\n")) {
        if (line.startsWith(prefix) && line.contains(filter)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          found = true;
        }
      }
      return found ? sum : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** A mirror's GC pauses so far, from its metrics. */
  private record Gc(long count, double seconds) {
    static Gc of(MirrorProcess m) {
      return new Gc(
          (long) metric(m, "jvm_gc_pause_seconds_count{", ""),
          metric(m, "jvm_gc_pause_seconds_sum{", ""));
    }

    Gc minus(Gc before) {
      return new Gc(count - before.count, seconds - before.seconds);
    }
  }

  /** Samples a mirror's heap once a second and keeps the highest. */
  private static final class HeapSampler {
    private final AtomicLong max = new AtomicLong(-1);
    private final Thread thread;
    private volatile boolean running = true;

    private HeapSampler(MirrorProcess m) {
      thread =
          new Thread(
              () -> {
                while (running) {
                  max.accumulateAndGet(heapUsed(m), Math::max);
                  try {
                    Thread.sleep(1000);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-sampler");
      thread.setDaemon(true);
    }

    static HeapSampler start(MirrorProcess m) {
      HeapSampler s = new HeapSampler(m);
      s.thread.start();
      return s;
    }

    long stop() throws InterruptedException {
      running = false;
      thread.interrupt();
      thread.join();
      return max.get();
    }
  }

  /**
   * CPU seconds of a mirror's JVM and of its PostgreSQL processes (the JVM's descendants), from the
   * processes alive now: a PostgreSQL backend that exited meanwhile is not counted.
   */
  private record Cpu(long jvmPid, double jvm, double postgres, Map<Long, Double> byPid) {
    /** The mirror whose data directory is {@code dir}, as {@link MirrorProcess} passes it. */
    static Cpu of(Path dir) {
      String arg = "-Dcanopy.data-dir=" + dir;
      Optional<ProcessHandle> jvm =
          ProcessHandle.current()
              .children()
              .filter(
                  p -> p.info().arguments().map(a -> Arrays.asList(a).contains(arg)).orElse(false))
              .findFirst();
      Map<Long, Double> byPid = new HashMap<>();
      if (jvm.isEmpty()) {
        return new Cpu(-1, Double.NaN, Double.NaN, byPid);
      }
      double pg = 0;
      for (ProcessHandle d : jvm.get().descendants().toList()) {
        double s = cpu(d);
        byPid.put(d.pid(), s);
        pg += s;
      }
      return new Cpu(jvm.get().pid(), cpu(jvm.get()), pg, byPid);
    }

    /** Since {@code before}; a process that started meanwhile counts in full. */
    Cpu minus(Cpu before) {
      double pg = 0;
      for (Map.Entry<Long, Double> e : byPid.entrySet()) {
        pg += e.getValue() - before.byPid.getOrDefault(e.getKey(), 0.0);
      }
      return new Cpu(jvmPid, jvmPid == before.jvmPid ? jvm - before.jvm : jvm, pg, byPid);
    }

    private static double cpu(ProcessHandle p) {
      return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
  }

  private static double ownCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  // ---- the service log ----

  /** The service log's last "replayed in" line. */
  private static String lastReplay(Path dir) throws IOException {
    try (var lines = Files.lines(dir.resolve("service.log"))) {
      return lines
          .filter(l -> l.contains("replayed in"))
          .reduce((x, y) -> y)
          .map(l -> l.substring(l.indexOf("naming log")))
          .orElse("no \"replayed in\" line in " + dir.resolve("service.log"));
    }
  }

  /** The service log's "replayed in" lines: one per start. */
  private static void replayLines(Path dir, String who) throws IOException {
    Path log = dir.resolve("service.log");
    if (!Files.exists(log)) {
      return;
    }
    try (var lines = Files.lines(log)) {
      lines
          .filter(l -> l.contains("replayed in"))
          .forEach(
              l ->
                  System.out.println(
                      "startup " + who + ": " + l.substring(l.indexOf("naming log"))));
    } catch (UncheckedIOException e) {
      System.out.println("startup " + who + ": cannot read " + log + ": " + e.getMessage());
    }
  }

  // ---- plumbing ----

  private static void startTimed(MirrorProcess m, String what) {
    long t0 = System.nanoTime();
    m.start();
    System.out.printf(Locale.ROOT, "started %s in %.1f s%n", what, seconds(t0));
  }

  /** Starts a mirror on its data again, giving it more than MirrorProcess's 120 s to replay. */
  private static void restart(MirrorProcess m, String what) {
    long t0 = System.nanoTime();
    try {
      m.start();
    } catch (AssertionError e) {
      if (!m.isAlive()) {
        throw e;
      }
      System.out.printf(
          Locale.ROOT, "note: %s was not ready within MirrorProcess's 120 s; waiting on%n", what);
      m.await(() -> m.status("/q/health/ready") == 200, Duration.ofMinutes(20), what + " to start");
    }
    System.out.printf(Locale.ROOT, "started %s in %.1f s%n", what, seconds(t0));
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** The {@code p}th percentile of sorted values (nearest rank). */
  private static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static String mb(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }

  private static String verdict(boolean ok) {
    return ok ? " ok" : " MISSED";
  }
}
