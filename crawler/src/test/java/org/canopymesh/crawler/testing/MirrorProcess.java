package org.canopymesh.crawler.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.SignatureType;
import org.canopymesh.naming.note.VerifierKey;

/**
 * The packaged crawler as an operator runs it, as a naming mirror: its own data directory and
 * embedded PostgreSQL, a key written before the first start (so peers can be configured with each
 * other's verifier keys), an ephemeral port, and no crawling. Stop it gently, kill it with SIGKILL,
 * start it again on the same data.
 */
public final class MirrorProcess implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path dir;
  private final int port;
  private final String origin;
  private final VerifierKey verifierKey;
  private final SigningKey key;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private Process process;

  private MirrorProcess(Path dir, String origin, SigningKey key) {
    this.dir = dir;
    this.port = freePort();
    this.origin = origin;
    this.key = key;
    this.verifierKey = new VerifierKey(origin, SignatureType.ED25519, key.verifyingKey());
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("mirror.key"), NoteKeys.formatSignerKey(origin, key) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A mirror named {@code origin} with its data in {@code dir}; not started yet. */
  public static MirrorProcess create(Path dir, String origin) {
    return new MirrorProcess(dir, origin, SigningKey.generate(new SecureRandom()));
  }

  /**
   * Another process of the same mirror (same key and origin, its own directory and port), as a
   * second replica on the same database; its properties are copied, not shared.
   */
  public MirrorProcess replica(Path replicaDir) {
    MirrorProcess r = new MirrorProcess(replicaDir, origin, key);
    r.properties.putAll(properties);
    return r;
  }

  /** Sets a configuration property for the next start. */
  public MirrorProcess set(String name, String value) {
    properties.put(name, value);
    return this;
  }

  /** Makes {@code others} this mirror's peers. */
  public MirrorProcess peers(MirrorProcess... others) {
    List<String> items = new ArrayList<>();
    for (MirrorProcess o : others) {
      items.add(o.url() + " " + o.verifierKey());
    }
    return set("canopy.mirror.peers", String.join(",", items));
  }

  public MirrorProcess start() {
    launch();
    await(() -> status("/q/health/ready") == 200, Duration.ofSeconds(120), "the mirror to start");
    return this;
  }

  /** Starts and waits until it is live only: a standby replica is never ready. */
  public MirrorProcess startLive() {
    launch();
    await(() -> status("/q/health/live") == 200, Duration.ofSeconds(120), "the mirror to be live");
    return this;
  }

  private void launch() {
    String app = System.getProperty("crawler.app.jar");
    assertTrue(app != null && Files.exists(Path.of(app)), "the packaged service exists: " + app);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-Dcanopy.data-dir=" + dir);
    cmd.add("-Dquarkus.http.port=" + port);
    cmd.add("-Dcanopy.crawler.scheduled=false");
    cmd.add("-Dcanopy.crawler.admin-endpoint=tcp://127.0.0.1:9");
    properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(app);
    try {
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("service.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM and wait: a clean shutdown. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** SIGKILL: the process dies mid-whatever; its embedded PostgreSQL is orphaned. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * SIGKILL to the service and every process under it, its embedded PostgreSQL included, at once:
   * what a power cut does to the processes (the operating system's caches survive here).
   */
  public void killWithDatabase() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("process " + p.pid() + " survived SIGKILL", e);
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public String origin() {
    return origin;
  }

  public VerifierKey verifierKey() {
    return verifierKey;
  }

  // ---- HTTP ----

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(url().resolve(path)).GET().build());
  }

  public JsonNode getJson(String path) {
    HttpResponse<String> r = get(path);
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body(), e);
    }
  }

  /** Posts a record note; returns the answer. */
  public HttpResponse<String> submit(String note) {
    return send(
        HttpRequest.newBuilder(url().resolve("/api/v1/records"))
            .POST(HttpRequest.BodyPublishers.ofString(note, StandardCharsets.UTF_8))
            .build());
  }

  public int status(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private HttpResponse<String> send(HttpRequest r) {
    try {
      return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- waiting ----

  /** Waits for {@code check}, failing with the service log if the process dies or time runs out. */
  public void await(BooleanSupplier check, Duration timeout, String what) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (process != null && !process.isAlive()) {
        fail(origin + " exited while waiting for " + what + "; log:\n" + tail());
      }
      if (check.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(100); // polling interval of the wait loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    fail("timed out waiting for " + what + " on " + origin + "; log:\n" + tail());
  }

  /** The end of the service log. */
  public String tail() {
    try {
      String log = Files.readString(dir.resolve("service.log"));
      return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
