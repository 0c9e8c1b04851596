package org.canopymesh.map.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.canopymesh.naming.key.SigningKey;

/**
 * Real Yggdrasil nodes (Debian's {@code yggdrasil}) on loopback for the end-to-end test: {@code
 * IfName: none}, no multicast, admin and listener on free ports of 127.0.0.1, static peers, and a
 * NodeInfo with name, location and the {@code canopy} object. A lean cousin of the crawler's
 * harness: this test needs only start, peer and stop.
 */
public final class Overlay implements AutoCloseable {
  static final List<String> BINARIES = List.of("/usr/sbin/yggdrasil", "/usr/bin/yggdrasil");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A node to start: its NodeInfo and the earlier nodes it peers with. */
  public record Spec(
      String name, Double lat, Double lon, String island, boolean hide, int[] peers) {}

  /** A started node. */
  public record Node(String key, int adminPort, int listenPort, Path config, Process process) {
    public String adminEndpoint() {
      return "tcp://127.0.0.1:" + adminPort;
    }
  }

  private final List<Node> nodes = new ArrayList<>();

  public static Path binary() {
    return BINARIES.stream()
        .map(Path::of)
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the end-to-end test runs real Yggdrasil nodes: apt-get install -y yggdrasil"));
  }

  /** Starts the nodes in order and waits until every admin socket answers. */
  public static Overlay start(Path dir, List<Spec> specs, Duration timeout) throws IOException {
    Overlay o = new Overlay();
    try {
      Files.createDirectories(dir);
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < specs.size(); i++) {
        o.nodes.add(o.launch(dir, i, specs.get(i), SigningKey.generate(random)));
      }
      for (Node n : o.nodes) {
        awaitPort(n.adminPort(), timeout);
      }
      return o;
    } catch (IOException | RuntimeException e) {
      o.close();
      throw e;
    }
  }

  private Node launch(Path dir, int i, Spec spec, SigningKey key) throws IOException {
    int admin = freePort();
    int listen = freePort();
    ObjectNode conf = JSON.createObjectNode();
    byte[] pub = key.verifyingKey().bytes();
    conf.put("PrivateKey", HexFormat.of().formatHex(key.seed()) + HexFormat.of().formatHex(pub));
    var peers = conf.putArray("Peers");
    for (int p : spec.peers()) {
      peers.add("tcp://127.0.0.1:" + nodes.get(p).listenPort());
    }
    conf.putArray("Listen").add("tcp://127.0.0.1:" + listen);
    conf.put("AdminListen", "tcp://127.0.0.1:" + admin);
    conf.putArray("MulticastInterfaces");
    conf.put("IfName", "none");
    ObjectNode info = conf.putObject("NodeInfo");
    info.put("name", spec.name());
    if (spec.lat() != null) {
      info.putObject("location").put("lat", spec.lat()).put("lon", spec.lon());
    }
    ObjectNode canopy = info.putObject("canopy");
    if (spec.island() != null) {
      canopy.put("island", spec.island());
    }
    if (spec.hide()) {
      canopy.put("hide", true);
    }
    Path file = dir.resolve("node" + i + ".conf");
    Files.writeString(file, conf.toPrettyString());
    Process p =
        new ProcessBuilder(binary().toString(), "-useconffile", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node" + i + ".log").toFile())
            .start();
    return new Node(key.verifyingKey().toHex(), admin, listen, file, p);
  }

  public Node node(int i) {
    return nodes.get(i);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void awaitPort(int port, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("nothing listens on 127.0.0.1:" + port + " after " + timeout);
        }
        LockSupport.parkNanos(100_000_000L); // polling interval of the wait loop
      }
    }
  }

  @Override
  public void close() {
    nodes.forEach(n -> n.process().destroy());
    nodes.forEach(n -> stop(n.process(), Duration.ofSeconds(5)));
  }

  /**
   * SIGTERM (already sent or sent now), then SIGKILL if it is still running after {@code grace}.
   */
  public static void stop(Process p, Duration grace) {
    p.destroy();
    try {
      if (!p.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }
}
