package org.canopymesh.map.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The packaged map service ({@code -Dmap.app.jar}) as an operator runs it: a separate JVM with its
 * own data directory, so it starts its own embedded PostgreSQL; an ephemeral port. Measured from
 * outside: nothing of the benchmark shares its JVM, its heap or its JIT.
 */
public final class MapProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path dir;
  private final int port = freePort();
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private Process process;

  public MapProcess(Path dir) {
    this.dir = dir;
  }

  public MapProcess set(String name, String value) {
    properties.put(name, value);
    return this;
  }

  public MapProcess jvm(String option) {
    jvmOptions.add(option);
    return this;
  }

  /** Starts the service and waits until it is ready; the log goes to {@code service.log}. */
  public void start() {
    String app = System.getProperty("map.app.jar");
    if (app == null || !Files.exists(Path.of(app))) {
      throw new IllegalStateException("-Dmap.app.jar does not name the packaged service: " + app);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-Dcanopy.data-dir=" + dir.toAbsolutePath());
    cmd.add("-Dquarkus.http.port=" + port);
    properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(app);
    try {
      Files.createDirectories(dir);
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("service.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await(() -> status("/q/health/ready") == 200, Duration.ofMinutes(3), "the service to start");
  }

  /** SIGTERM and wait; then the embedded PostgreSQL, should the service have left it running. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stopLeftPostgres();
  }

  /** The postmaster of this service's data directory, if it outlived the service. */
  private void stopLeftPostgres() {
    Path data = dir.resolve("postgres").resolve("pgdata").toAbsolutePath();
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
      if (pg.isPresent()) {
        System.out.println("note: the embedded PostgreSQL outlived the service; stopping it");
        pg.get().destroy();
        pg.get().onExit().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      System.out.println("note: could not stop the embedded PostgreSQL: " + e);
    }
  }

  /**
   * Runs {@code sql} on the service's embedded PostgreSQL as its superuser (its port from {@code
   * postmaster.pid}); for diagnostic runs that change a server setting.
   */
  public void sql(String sql) {
    Path pidFile = dir.resolve("postgres").resolve("pgdata").resolve("postmaster.pid");
    try {
      String port = Files.readAllLines(pidFile).get(3).strip();
      try (java.sql.Connection c =
              java.sql.DriverManager.getConnection(
                  "jdbc:postgresql://127.0.0.1:" + port + "/canopy", "canopy", "");
          java.sql.Statement s = c.createStatement()) {
        s.execute(sql);
      }
    } catch (IOException | java.sql.SQLException e) {
      throw new IllegalStateException("cannot run " + sql + ": " + e.getMessage(), e);
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The service JVM's CPU seconds so far. */
  public double jvmCpuSeconds() {
    return cpu(process.toHandle());
  }

  /** CPU seconds of the live processes under the service: its PostgreSQL server and backends. */
  public Map<Long, Double> postgresCpuSeconds() {
    Map<Long, Double> out = new LinkedHashMap<>();
    process.descendants().forEach(p -> out.put(p.pid(), cpu(p)));
    return out;
  }

  private static double cpu(ProcessHandle p) {
    return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  /** The service JVM's resident set ({@code VmRSS}), in bytes; -1 when unreadable. */
  public long rss() {
    return statusField(process.pid(), "VmRSS:");
  }

  /**
   * The proportional set size of the PostgreSQL processes, in bytes: their RSS would count the
   * shared buffers once per backend.
   */
  public long postgresPss() {
    long sum = 0;
    for (ProcessHandle p : process.descendants().toList()) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", p.pid() + "", "smaps_rollup"))) {
          if (line.startsWith("Pss:")) {
            sum += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
      } catch (IOException | RuntimeException e) {
        // a backend that exited meanwhile
      }
    }
    return sum;
  }

  private static long statusField(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid + "", "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Runs {@code jcmd <pid> <command...>}; returns its output. */
  public String jcmd(String... command) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(Long.toString(process.pid()));
    cmd.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "jcmd failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  // ---- HTTP, for set-up and checks (the timed requests use LeanHttp) ----

  public HttpResponse<String> get(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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

  /**
   * The sum of a Prometheus metric's series in {@code /q/metrics} whose line holds every one of
   * {@code filters}; NaN when there is none.
   */
  public double metric(String name, String... filters) {
    HttpResponse<String> r = get("/q/metrics");
    double sum = 0;
    boolean found = false;
    for (String line : r.body().split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String f : filters) {
        all &= line.contains(f);
      }
      if (all) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? sum : Double.NaN;
  }

  /** Waits for {@code check}; fails with the end of the service log if the service dies. */
  public void await(BooleanSupplier check, Duration timeout, String what) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException("the service exited waiting for " + what + ":\n" + tail());
      }
      if (check.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
    }
    throw new IllegalStateException("timed out waiting for " + what + "; log:\n" + tail());
  }

  public String tail() {
    try {
      String log = Files.readString(dir.resolve("service.log"));
      return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
