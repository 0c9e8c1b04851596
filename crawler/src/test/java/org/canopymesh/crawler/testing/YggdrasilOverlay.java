package org.canopymesh.crawler.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.NodeKeys;
import org.canopymesh.naming.key.SigningKey;

/**
 * A real overlay of {@code yggdrasil} processes on loopback, for integration tests. Each node gets
 * its own folder under the work dir with its JSON config and its log, an admin socket and a TCP
 * listener on free ports of 127.0.0.1, no TUN and no multicast; links are static {@code Peers}. For
 * a link between nodes {@code i < j}, node {@code j} dials node {@code i}.
 *
 * <p>{@link Builder#start()} returns once every admin socket answers, every node's {@code getPeers}
 * lists exactly its linked neighbours and the DHT has converged, so remote admin calls ({@code
 * getNodeInfo}, {@code debug_remote*}) work between any two nodes at once. (A remote call sent
 * before that can fail and keep failing for that pair for about a minute.) Closing kills every
 * process; a JVM shutdown hook does the same if a test never gets there, and each node runs under a
 * small {@code sh} watchdog that stops it when the JVM's end of its stdin closes, so even a JVM
 * killed with SIGKILL leaves no node behind.
 *
 * <p>Not tied to JUnit; not thread-safe (one test thread drives it).
 */
public final class YggdrasilOverlay implements AutoCloseable {
  /** Where Debian and Ubuntu ({@code apt-get install yggdrasil}) and manual installs put it. */
  private static final List<String> BINARY_CANDIDATES =
      List.of("/usr/sbin/yggdrasil", "/usr/bin/yggdrasil", "/usr/local/bin/yggdrasil");

  /**
   * Runs {@code $0 -useconffile $1} and kills it when stdin reaches EOF (the JVM closed it or
   * died); exits with yggdrasil's status when yggdrasil exits by itself. Background jobs get
   * /dev/null as stdin, so the watcher reads the JVM's pipe through fd 3.
   */
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

  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration STOP_GRACE = Duration.ofSeconds(3);
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private static final int PORT_ATTEMPTS = 5;
  private static final int LOG_TAIL_LINES = 30;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final Set<YggdrasilOverlay> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

  private final Path workDir;
  private final Path binary;
  private final List<Node> nodes;
  private final Set<Link> links;

  private YggdrasilOverlay(Path workDir, Path binary, List<Node> nodes, Set<Link> links) {
    this.workDir = workDir;
    this.binary = binary;
    this.nodes = nodes;
    this.links = links;
  }

  public static Builder builder(Path workDir) {
    return new Builder(workDir);
  }

  /** The {@code yggdrasil} binary; throws, saying how to install it, when there is none. */
  public static Path findBinary() {
    for (String candidate : BINARY_CANDIDATES) {
      Path p = Path.of(candidate);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        if (!dir.isEmpty()) {
          Path p = Path.of(dir, "yggdrasil");
          if (Files.isExecutable(p)) {
            return p;
          }
        }
      }
    }
    throw new IllegalStateException(
        "the yggdrasil binary (0.4.7) is needed to run a real overlay and was not found in "
            + BINARY_CANDIDATES
            + " or on PATH; install it with 'apt-get install yggdrasil' (Debian/Ubuntu)");
  }

  /** {@code from, from + 1, ..., to - 1}, for the topology helpers. */
  public static int[] range(int from, int toExclusive) {
    return IntStream.range(from, toExclusive).toArray();
  }

  public int size() {
    return nodes.size();
  }

  public Node node(int i) {
    return nodes.get(i);
  }

  public List<Node> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  public Path workDir() {
    return workDir;
  }

  public Path binary() {
    return binary;
  }

  /** The indices linked to node {@code i}. */
  public Set<Integer> neighbours(int i) {
    Set<Integer> result = new TreeSet<>();
    for (Link link : links) {
      if (link.low() == i) {
        result.add(link.high());
      } else if (link.high() == i) {
        result.add(link.low());
      }
    }
    return result;
  }

  /**
   * Kills node {@code i} (SIGTERM, then SIGKILL after a short grace) and waits until it is gone.
   */
  public void stop(int i) {
    terminate(List.of(nodes.get(i)));
  }

  /** Kills every node and waits for them to exit. Safe to call more than once. */
  @Override
  public void close() {
    try {
      terminate(nodes);
    } finally {
      LIVE.remove(this);
    }
  }

  /**
   * Waits until every running node's {@code getPeers} lists exactly its running neighbours and the
   * DHT has converged (see {@link #unconvergedRoutes()}), e.g. after {@link #stop(int)}.
   */
  public void awaitConverged(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    awaitLinks(deadline, timeout);
    awaitRoutes(deadline, timeout);
  }

  /**
   * What is still missing before remote calls can be routed between any two running nodes; empty
   * once converged. In 0.4.7 (ironwood's DHT) each node sets up a path to the node with the next
   * lower key in its connected part of the overlay, and that node's {@code getDHT} then lists an
   * entry with the node's key and {@code "rest": 0}. Until then lookups can end at the wrong node,
   * and a remote call sent then does not just fail: the sender keeps a half-open session to that
   * target for a minute, so calls between that pair keep timing out for about 60 s.
   */
  public List<String> unconvergedRoutes() {
    List<String> missing = new ArrayList<>();
    Map<Integer, Set<String>> endingHere = new HashMap<>();
    for (Node node : nodes) {
      if (!node.isRunning()) {
        continue;
      }
      try {
        Set<String> keys = new HashSet<>();
        for (JsonNode entry :
            node.admin().withTimeout(PROBE_TIMEOUT).response("getDHT").path("dht")) {
          if (entry.path("rest").asLong(-1) == 0) {
            keys.add(entry.path("key").asText());
          }
        }
        endingHere.put(node.index, keys);
      } catch (IOException | AdminProbe.AdminError e) {
        missing.add("node " + node.index + ": getDHT failed: " + e.getMessage());
        endingHere.put(node.index, Set.of());
      }
    }
    for (List<Node> component : runningComponents()) {
      component.sort((a, b) -> a.publicKeyHex.compareTo(b.publicKeyHex));
      for (int k = 1; k < component.size(); k++) {
        Node node = component.get(k);
        Node predecessor = component.get(k - 1);
        if (!endingHere.get(predecessor.index).contains(node.publicKeyHex)) {
          missing.add(
              "node "
                  + node.index
                  + " has no DHT path to node "
                  + predecessor.index
                  + " (next lower key)");
        }
      }
    }
    return missing;
  }

  /** The running nodes grouped by the links between running nodes. */
  private List<List<Node>> runningComponents() {
    List<List<Node>> components = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (Node start : nodes) {
      if (!start.isRunning() || !seen.add(start.index)) {
        continue;
      }
      List<Node> component = new ArrayList<>();
      List<Integer> queue = new ArrayList<>(List.of(start.index));
      while (!queue.isEmpty()) {
        int i = queue.remove(queue.size() - 1);
        component.add(nodes.get(i));
        for (int n : neighbours(i)) {
          if (nodes.get(n).isRunning() && seen.add(n)) {
            queue.add(n);
          }
        }
      }
      components.add(component);
    }
    return components;
  }

  private void awaitRoutes(long deadline, Duration timeout) {
    while (true) {
      List<String> missing = unconvergedRoutes();
      if (missing.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw failure(
            "the DHT did not converge within " + timeout + "\n  " + String.join("\n  ", missing),
            List.of());
      }
      sleep(POLL);
    }
  }

  private void launchAll(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Node node : nodes) {
      // Yggdrasil 0.4.7 retries a failed static peer only once a minute, so a node starts only
      // after every node it dials listens.
      for (int target : dialTargets(node.index)) {
        awaitReady(nodes.get(target), deadline, timeout);
      }
      launch(node, dialTargets(node.index));
    }
    for (Node node : nodes) {
      awaitReady(node, deadline, timeout);
    }
    awaitLinks(deadline, timeout);
    awaitRoutes(deadline, timeout);
  }

  private List<Integer> dialTargets(int i) {
    List<Integer> targets = new ArrayList<>();
    for (Link link : links) {
      if (link.high() == i) {
        targets.add(link.low());
      }
    }
    Collections.sort(targets);
    return targets;
  }

  private void launch(Node node, List<Integer> targets) {
    int[] ports = freePorts(2);
    node.adminPort = ports[0];
    node.listenPort = ports[1];
    List<String> peers = new ArrayList<>();
    for (int target : targets) {
      peers.add("tcp://127.0.0.1:" + nodes.get(target).listenPort);
    }
    // Every field 0.4.7's -genconf writes: fields left out get generated defaults, and the
    // default MulticastInterfaces would peer with whatever else runs on this machine.
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("Peers", peers);
    config.put("InterfacePeers", Map.of());
    config.put("Listen", List.of("tcp://127.0.0.1:" + node.listenPort));
    config.put("AdminListen", node.adminEndpoint());
    config.put("MulticastInterfaces", List.of());
    config.put("AllowedPublicKeys", List.of());
    config.put("PublicKey", node.publicKeyHex);
    config.put("PrivateKey", NodeKeys.formatKeyFile(node.key).strip());
    config.put("IfName", "none");
    config.put("IfMTU", 65535);
    config.put("NodeInfoPrivacy", node.privacy);
    config.put("NodeInfo", node.nodeInfo);
    try {
      Files.createDirectories(node.dir);
      Files.write(node.configFile(), JSON.writeValueAsBytes(config));
      Files.writeString(
          node.logFile(),
          "--- canopy harness: starting node " + node.index + " ---\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      node.logOffset = Files.size(node.logFile());
      node.process =
          new ProcessBuilder(
                  "/bin/sh",
                  "-c",
                  WATCHDOG,
                  binary.toString(),
                  node.configFile().toAbsolutePath().toString())
              .directory(node.dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(node.logFile().toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start node " + node.index, e);
    }
    node.attempts++;
    node.ready = false;
  }

  /**
   * Waits until the node's admin socket answers with its key and its listener is up; relaunches it
   * on fresh ports if another process took one of them since we picked it.
   */
  private void awaitReady(Node node, long deadline, Duration timeout) {
    AdminProbe probe = null;
    while (!node.ready) {
      if (probe == null || probe.port() != node.adminPort) {
        probe = node.admin().withTimeout(PROBE_TIMEOUT);
      }
      String log = node.logSinceLaunch();
      if (!node.process.isAlive()) {
        if (log.contains("address already in use") && node.attempts < PORT_ATTEMPTS) {
          launch(node, dialTargets(node.index));
          continue;
        }
        throw failure(
            "node "
                + node.index
                + " exited with status "
                + node.process.exitValue()
                + " before its admin socket answered",
            List.of(node));
      }
      if (log.contains("Failed to start listener") || log.contains("address already in use")) {
        relaunchOnFreshPorts(node);
        continue;
      }
      try {
        JsonNode self = probe.response("getSelf");
        if (!node.publicKeyHex.equals(self.path("key").asText())) {
          // Another process answered on our admin port; ours will fail to bind it and exit.
          relaunchOnFreshPorts(node);
          continue;
        }
        if (!node.address.equals(self.path("address").asText())) {
          throw failure(
              "node "
                  + node.index
                  + " reports address "
                  + self.path("address").asText()
                  + " but OverlayAddress derives "
                  + node.address,
              List.of(node));
        }
        if (log.contains("TCP listener started on 127.0.0.1:" + node.listenPort)) {
          node.ready = true;
          return;
        }
      } catch (IOException | AdminProbe.AdminError e) {
        // Not listening yet.
      }
      pause(deadline, timeout, "node " + node.index + " to answer on its admin socket", node);
    }
  }

  private void relaunchOnFreshPorts(Node node) {
    if (node.attempts >= PORT_ATTEMPTS) {
      throw failure(
          "node " + node.index + " could not bind its ports in " + PORT_ATTEMPTS + " attempts",
          List.of(node));
    }
    terminate(List.of(node));
    launch(node, dialTargets(node.index));
  }

  private void awaitLinks(long deadline, Duration timeout) {
    Map<Integer, String> pending = new LinkedHashMap<>();
    for (Node node : nodes) {
      if (node.isRunning()) {
        pending.put(node.index, "not asked yet");
      }
    }
    while (true) {
      for (Node node : nodes) {
        if (!pending.containsKey(node.index)) {
          continue;
        }
        if (!node.isRunning()) {
          throw failure("node " + node.index + " exited while links came up", List.of(node));
        }
        Set<String> expected = new TreeSet<>();
        for (int n : neighbours(node.index)) {
          if (nodes.get(n).isRunning()) {
            expected.add(nodes.get(n).publicKeyHex);
          }
        }
        try {
          JsonNode peers = node.admin().withTimeout(PROBE_TIMEOUT).response("getPeers");
          Set<String> actual = new TreeSet<>();
          for (JsonNode peer : peers.path("peers")) {
            actual.add(peer.path("key").asText());
          }
          if (actual.equals(expected)) {
            pending.remove(node.index);
          } else {
            pending.put(
                node.index, "peers " + describe(actual) + ", expected " + describe(expected));
          }
        } catch (IOException | AdminProbe.AdminError e) {
          pending.put(node.index, "getPeers failed: " + e.getMessage());
        }
      }
      if (pending.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        String detail =
            pending.entrySet().stream()
                .map(e -> "  node " + e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
        List<Node> failing =
            pending.keySet().stream().limit(3).map(nodes::get).collect(Collectors.toList());
        throw failure(
            "links did not come up within "
                + timeout
                + " ("
                + pending.size()
                + " nodes)\n"
                + detail,
            failing);
      }
      sleep(POLL);
    }
  }

  /** Names peers by node index where we know them, so failure messages read as topology. */
  private String describe(Set<String> keys) {
    Map<String, Integer> index = new HashMap<>();
    for (Node node : nodes) {
      index.put(node.publicKeyHex, node.index);
    }
    return keys.stream()
        .map(k -> index.containsKey(k) ? String.valueOf(index.get(k)) : k)
        .collect(Collectors.joining(",", "[", "]"));
  }

  private void pause(long deadline, Duration timeout, String waitingFor, Node node) {
    if (System.nanoTime() - deadline > 0) {
      throw failure("timed out after " + timeout + " waiting for " + waitingFor, List.of(node));
    }
    sleep(POLL);
  }

  private IllegalStateException failure(String message, List<Node> logsOf) {
    StringBuilder text = new StringBuilder("Yggdrasil overlay in " + workDir + ": " + message);
    for (Node node : logsOf) {
      text.append("\n--- last ")
          .append(LOG_TAIL_LINES)
          .append(" lines of ")
          .append(node.logFile())
          .append(" ---\n")
          .append(node.logTail(LOG_TAIL_LINES));
    }
    return new IllegalStateException(text.toString());
  }

  /**
   * Stops processes: closes the watchdog's stdin and sends SIGTERM to the whole tree, waits a short
   * grace, then SIGKILLs whatever is left and waits for it.
   */
  private static void terminate(List<Node> targets) {
    List<ProcessHandle> handles = new ArrayList<>();
    for (Node node : targets) {
      Process process = node.process;
      if (process == null) {
        continue;
      }
      List<ProcessHandle> tree = process.descendants().collect(Collectors.toList());
      try (OutputStream stdin = process.getOutputStream()) {
        // Closing is the signal; nothing to write.
      } catch (IOException e) {
        // Already closed.
      }
      tree.forEach(ProcessHandle::destroy);
      handles.addAll(tree);
      handles.add(process.toHandle());
    }
    if (!awaitExit(handles, STOP_GRACE)) {
      for (Node node : targets) {
        if (node.process != null) {
          node.process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
      }
      handles.forEach(ProcessHandle::destroyForcibly);
      if (!awaitExit(handles, KILL_WAIT)) {
        throw new IllegalStateException(
            "processes survived SIGKILL: "
                + handles.stream()
                    .filter(ProcessHandle::isAlive)
                    .map(h -> String.valueOf(h.pid()))
                    .collect(Collectors.joining(",")));
      }
    }
    for (Node node : targets) {
      node.ready = false;
    }
  }

  private static boolean awaitExit(List<ProcessHandle> handles, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle handle : handles) {
      long left = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        return !handle.isAlive();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * Ports the kernel hands out as free right now. They are released before yggdrasil binds them, so
   * another process may take one meanwhile; {@link #awaitReady} notices and picks again.
   */
  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // Nothing to release.
        }
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the overlay", e);
    }
  }

  private static void installShutdownHook() {
    if (HOOK_INSTALLED.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    for (YggdrasilOverlay overlay : List.copyOf(LIVE)) {
                      try {
                        overlay.close();
                      } catch (RuntimeException e) {
                        // Keep closing the others.
                      }
                    }
                  },
                  "yggdrasil-overlay-cleanup"));
    }
  }

  /** One node of the overlay. Ports are known once the overlay has started. */
  public static final class Node {
    private final int index;
    private final SigningKey key;
    private final String publicKeyHex;
    private final String address;
    private final Map<String, ?> nodeInfo;
    private final boolean privacy;
    private final Path dir;
    private volatile int adminPort;
    private volatile int listenPort;
    private volatile Process process;
    private volatile boolean ready;
    private long logOffset;
    private int attempts;

    private Node(int index, SigningKey key, Map<String, ?> nodeInfo, boolean privacy, Path dir) {
      this.index = index;
      this.key = key;
      this.publicKeyHex = key.verifyingKey().toHex();
      this.address = OverlayAddress.forKey(key.verifyingKey()).toString();
      this.nodeInfo = nodeInfo;
      this.privacy = privacy;
      this.dir = dir;
    }

    public int index() {
      return index;
    }

    public SigningKey key() {
      return key;
    }

    /** The Ed25519 public key in lower-case hex, as the admin API prints keys. */
    public String publicKeyHex() {
      return publicKeyHex;
    }

    /** The node's overlay address in canonical IPv6 text, as {@code getSelf} prints it. */
    public String address() {
      return address;
    }

    public String adminEndpoint() {
      return "tcp://127.0.0.1:" + adminPort;
    }

    public int adminPort() {
      return adminPort;
    }

    public int listenPort() {
      return listenPort;
    }

    /** The NodeInfo given for this node, or null when it has none. */
    public Map<String, ?> nodeInfo() {
      return nodeInfo;
    }

    public boolean privacy() {
      return privacy;
    }

    public boolean isRunning() {
      Process p = process;
      return p != null && p.isAlive();
    }

    /** A client for this node's admin socket. */
    public AdminProbe admin() {
      return new AdminProbe(adminPort);
    }

    public Path configFile() {
      return dir.resolve("yggdrasil.json");
    }

    /** Stdout and stderr of every run of this node. */
    public Path logFile() {
      return dir.resolve("yggdrasil.log");
    }

    public String logTail(int lines) {
      try {
        if (!Files.exists(logFile())) {
          return "(no log)";
        }
        List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException e) {
        return "(log unreadable: " + e.getMessage() + ")";
      }
    }

    private String logSinceLaunch() {
      try {
        byte[] bytes = Files.readAllBytes(logFile());
        int from = (int) Math.min(logOffset, bytes.length);
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }

    @Override
    public String toString() {
      return "node " + index + " " + publicKeyHex.substring(0, 8) + " " + adminEndpoint();
    }
  }

  private record Link(int low, int high) {
    static Link of(int a, int b) {
      if (a == b) {
        throw new IllegalArgumentException("a node cannot link to itself: " + a);
      }
      return new Link(Math.min(a, b), Math.max(a, b));
    }
  }

  /** Describes an overlay; {@link #start()} runs it. */
  public static final class Builder {
    private final Path workDir;
    private int size;
    private final Map<Integer, SigningKey> keys = new HashMap<>();
    private final Map<Integer, Map<String, ?>> nodeInfo = new HashMap<>();
    private final Map<Integer, Boolean> privacy = new HashMap<>();
    private final Set<Link> links = new LinkedHashSet<>();
    private Path binary;
    private Duration startTimeout;
    private SecureRandom random;

    private Builder(Path workDir) {
      this.workDir = workDir;
    }

    /** The number of nodes, indexed from 0. */
    public Builder nodes(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("an overlay needs at least one node: " + count);
      }
      this.size = count;
      return this;
    }

    /** Node {@code i}'s key; nodes without one get a freshly generated key. */
    public Builder key(int i, SigningKey key) {
      keys.put(i, key);
      return this;
    }

    /**
     * Node {@code i}'s NodeInfo: any JSON object (maps, lists, strings, numbers, booleans). 0.4.7
     * refuses to start with more than 16384 bytes of it (as compact JSON, build fields included).
     */
    public Builder nodeInfo(int i, Map<String, ?> info) {
      nodeInfo.put(i, info);
      return this;
    }

    /** NodeInfoPrivacy for node {@code i}: if true, its NodeInfo replies omit the build fields. */
    public Builder privacy(int i, boolean on) {
      privacy.put(i, on);
      return this;
    }

    /** A link between nodes {@code a} and {@code b}; the higher index dials the lower. */
    public Builder link(int a, int b) {
      links.add(Link.of(a, b));
      return this;
    }

    /** Links consecutive nodes of {@code path}. */
    public Builder chain(int... path) {
      for (int i = 1; i < path.length; i++) {
        link(path[i - 1], path[i]);
      }
      return this;
    }

    /** A chain that also links the last node back to the first. */
    public Builder ring(int... cycle) {
      if (cycle.length < 3) {
        throw new IllegalArgumentException("a ring needs at least three nodes");
      }
      chain(cycle);
      return link(cycle[cycle.length - 1], cycle[0]);
    }

    /** Links {@code hub} to each of {@code leaves}. */
    public Builder star(int hub, int... leaves) {
      for (int leaf : leaves) {
        link(hub, leaf);
      }
      return this;
    }

    /** The binary to run; by default {@link YggdrasilOverlay#findBinary()}. */
    public Builder binary(Path binary) {
      this.binary = binary;
      return this;
    }

    /** How long {@link #start()} may take; by default 2 s per node, at least 30 s. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** The source of generated keys; by default a new {@link SecureRandom}. */
    public Builder random(SecureRandom random) {
      this.random = random;
      return this;
    }

    /**
     * Starts every node and waits until the admin sockets answer, all links are up and the DHT has
     * converged. On failure it stops what it started and throws {@link IllegalStateException} with
     * the tails of the failing nodes' logs.
     */
    public YggdrasilOverlay start() {
      if (size < 1) {
        throw new IllegalStateException("call nodes(n) first");
      }
      for (int i : keys.keySet()) {
        checkIndex(i, "key");
      }
      for (int i : nodeInfo.keySet()) {
        checkIndex(i, "nodeInfo");
      }
      for (int i : privacy.keySet()) {
        checkIndex(i, "privacy");
      }
      for (Link link : links) {
        checkIndex(link.low(), "link");
        checkIndex(link.high(), "link");
      }
      Path bin = binary != null ? binary : findBinary();
      if (!Files.isExecutable(bin)) {
        throw new IllegalStateException(
            bin + " is not an executable yggdrasil; install it with 'apt-get install yggdrasil'");
      }
      SecureRandom rnd = random != null ? random : new SecureRandom();
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        SigningKey key = keys.containsKey(i) ? keys.get(i) : SigningKey.generate(rnd);
        nodes.add(
            new Node(
                i,
                key,
                nodeInfo.get(i),
                privacy.getOrDefault(i, false),
                workDir.resolve(String.format("node-%02d", i))));
      }
      Set<String> distinct = new HashSet<>();
      for (Node node : nodes) {
        if (!distinct.add(node.publicKeyHex)) {
          throw new IllegalArgumentException("two nodes share key " + node.publicKeyHex);
        }
      }
      Duration timeout =
          startTimeout != null ? startTimeout : Duration.ofSeconds(Math.max(30, 2L * size));
      YggdrasilOverlay overlay =
          new YggdrasilOverlay(
              workDir, bin, nodes, Collections.unmodifiableSet(new LinkedHashSet<>(links)));
      installShutdownHook();
      LIVE.add(overlay);
      try {
        overlay.launchAll(timeout);
        return overlay;
      } catch (RuntimeException | Error e) {
        try {
          overlay.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }

    private void checkIndex(int i, String what) {
      if (i < 0 || i >= size) {
        throw new IllegalArgumentException(
            what + " names node " + i + " but the overlay has " + size + " nodes");
      }
    }
  }
}
