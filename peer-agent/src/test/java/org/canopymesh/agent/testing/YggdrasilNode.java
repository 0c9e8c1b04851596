package org.canopymesh.agent.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.canopymesh.agent.json.JsonTree;
import org.canopymesh.agent.report.AdminClient;
import org.canopymesh.agent.report.AdminException;
import org.canopymesh.naming.key.NodeKeys;
import org.canopymesh.naming.key.SigningKey;

/**
 * One real {@code yggdrasil} process on loopback for integration tests, configured as the crawler's
 * harness does: every field written (left-out fields get random keys and multicast on every
 * interface), no TUN, no multicast, a TCP listener on a free port of 127.0.0.1, and the admin
 * socket on TCP or a Unix socket. It runs under a small {@code sh} watchdog that stops it when the
 * JVM's end of its stdin closes, so a killed test JVM leaves no node behind.
 */
public final class YggdrasilNode implements AutoCloseable {
  private static final List<String> BINARIES =
      List.of("/usr/sbin/yggdrasil", "/usr/bin/yggdrasil", "/usr/local/bin/yggdrasil");

  /** Runs {@code $0 -useconffile $1} and kills it when stdin reaches EOF. */
  private static final String WATCHDOG =
      """
      exec 3<&0
      "$0" -useconffile "$1" </dev/null 3<&- &
      child=$!
      ( read -r _ <&3; kill -TERM "$child" 2>/dev/null ) &
      watcher=$!
      exec 3<&-
      wait "$child"
      status=$?
      kill "$watcher" 2>/dev/null
      exit "$status"
      """;

  private final SigningKey key;
  private final Path dir;
  private final URI admin;
  private final int listenPort;
  private final Process process;

  private YggdrasilNode(SigningKey key, Path dir, URI admin, int listenPort, Process process) {
    this.key = key;
    this.dir = dir;
    this.admin = admin;
    this.listenPort = listenPort;
    this.process = process;
  }

  /** The binary, or a failure that says how to install it. */
  public static Path binary() {
    for (String b : BINARIES) {
      if (Files.isExecutable(Path.of(b))) {
        return Path.of(b);
      }
    }
    throw new AssertionError(
        "these tests run a real Yggdrasil node and found no yggdrasil binary in "
            + BINARIES
            + "; install it with 'apt-get install yggdrasil' (Debian/Ubuntu; 0.4.7 is tested)");
  }

  /**
   * Starts a node in {@code dir} with {@code key} that dials {@code peers} ({@code
   * tcp://127.0.0.1:port}); its admin socket is a Unix socket in {@code dir} if {@code unixAdmin},
   * else TCP on a free port.
   */
  public static YggdrasilNode start(
      Path dir, SigningKey key, List<String> peers, boolean unixAdmin) {
    Path binary = binary();
    int[] ports = freePorts(2);
    URI admin =
        unixAdmin
            ? URI.create("unix://" + dir.toAbsolutePath().resolve("admin.sock"))
            : URI.create("tcp://127.0.0.1:" + ports[0]);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("Peers", peers);
    config.put("InterfacePeers", Map.of());
    config.put("Listen", List.of("tcp://127.0.0.1:" + ports[1]));
    config.put("AdminListen", admin.toString());
    config.put("MulticastInterfaces", List.of());
    config.put("AllowedPublicKeys", List.of());
    config.put("PublicKey", key.verifyingKey().toHex());
    config.put("PrivateKey", NodeKeys.formatKeyFile(key).strip());
    config.put("IfName", "none");
    config.put("IfMTU", 65535);
    config.put("NodeInfoPrivacy", false);
    config.put("NodeInfo", Map.of());
    try {
      Files.createDirectories(dir);
      Path conf = dir.resolve("yggdrasil.json");
      Files.writeString(conf, JsonTree.write(config), StandardCharsets.UTF_8);
      Process p =
          new ProcessBuilder("/bin/sh", "-c", WATCHDOG, binary.toString(), conf.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("yggdrasil.log").toFile())
              .start();
      return new YggdrasilNode(key, dir, admin, ports[1], p);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start yggdrasil in " + dir, e);
    }
  }

  public SigningKey key() {
    return key;
  }

  public URI admin() {
    return admin;
  }

  /** What another node puts in its {@code Peers} to dial this one. */
  public String peerUri() {
    return "tcp://127.0.0.1:" + listenPort;
  }

  /**
   * Waits until the admin socket answers and the listener takes connections. Start a node that
   * dials this one only after that: 0.4.7 retries a failed static peer only once a minute.
   */
  public void awaitReady(Duration timeout) {
    AdminClient client = new AdminClient(admin);
    await("yggdrasil to answer and listen", timeout, () -> answers(client) && listening());
  }

  private static boolean answers(AdminClient client) {
    try {
      client.self();
      return true;
    } catch (AdminException e) {
      return false;
    }
  }

  private boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /**
   * Waits until {@code condition} holds, polling every 50 ms; fails with the node's log tail after
   * {@code timeout} or if the node exits.
   */
  public void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new AssertionError("yggdrasil exited while waiting for " + what + "\n" + log());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout + " waiting for " + what + "\n" + log());
      }
      try {
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** The node's output so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("yggdrasil.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Closes the watchdog's stdin, then SIGTERM, then SIGKILL; waits for the process tree. */
  @Override
  public void close() {
    List<ProcessHandle> tree = process.descendants().toList();
    try (OutputStream stdin = process.getOutputStream()) {
      // Closing is the signal.
    } catch (IOException e) {
      // Already closed.
    }
    tree.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      for (ProcessHandle h : tree) {
        h.onExit().get(5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("yggdrasil in " + dir + " did not stop", e);
    }
  }

  private static int[] freePorts(int count) {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          if (s != null) {
            s.close();
          }
        } catch (IOException e) {
          // Nothing to release.
        }
      }
    }
  }
}
