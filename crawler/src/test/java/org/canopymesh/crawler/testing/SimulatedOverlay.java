package org.canopymesh.crawler.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.canopymesh.crawler.crawl.Link;
import org.canopymesh.crawler.testing.FakeAdminServer.Reply;
import org.canopymesh.naming.address.Subnet;
import org.canopymesh.naming.key.VerifyingKey;

/**
 * A generated overlay for the {@link FakeAdminServer}: a <b>simulation</b>, not a network. Node 0
 * is the local node, the one whose admin socket the fake stands for. Keys are deterministic (32
 * bytes from a seeded {@link SplittableRandom} each); the topology is a random tree, so every node
 * is reachable from node 0, plus random extra links up to about {@code peersPerNode} peers per node
 * on average.
 *
 * <p>As a {@link FakeAdminServer.Behaviour} it answers, in the 0.4 dialect: {@code getSelf} and
 * {@code getPeers} for node 0 (after {@link #localDelay}), {@code debug_remoteGetPeers} and {@code
 * getNodeInfo} for any of its keys after {@link #remoteDelay} (20 ms unless set), and for a key it
 * does not know the error {@code timeout} after the same delay, as a real node would after waiting.
 *
 * <p>Configure it (delays, extra nodes and links) before serving; it is read-only afterwards.
 */
public final class SimulatedOverlay implements FakeAdminServer.Behaviour {
  public static final Duration DEFAULT_REMOTE_DELAY = Duration.ofMillis(20);
  public static final String BUILD_VERSION = "0.4.7";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SplittableRandom random;
  private final List<String> keys = new ArrayList<>();
  private final List<String> addresses = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();

  /** What each node lists as its peers, in order; may hold itself, duplicates, keys of no node. */
  private final List<List<String>> listed = new ArrayList<>();

  private Duration remoteDelay = DEFAULT_REMOTE_DELAY;
  private Duration localDelay = Duration.ZERO;

  /** An overlay of {@code nodes} nodes with about 3 peers each, generated from {@code seed}. */
  public SimulatedOverlay(int nodes, long seed) {
    this(nodes, seed, 3.0);
  }

  public SimulatedOverlay(int nodes, long seed, double peersPerNode) {
    if (nodes < 1) {
      throw new IllegalArgumentException("an overlay has at least its local node");
    }
    random = new SplittableRandom(seed);
    for (int i = 0; i < nodes; i++) {
      addNode();
    }
    Set<Long> edges = new HashSet<>();
    for (int i = 1; i < nodes; i++) {
      int j = random.nextInt(i);
      edges.add(edge(i, j));
      connect(i, j);
    }
    long possible = (long) nodes * (nodes - 1) / 2;
    long target = Math.min(possible, Math.round(nodes * peersPerNode / 2));
    while (edges.size() < target) {
      int a = random.nextInt(nodes);
      int b = random.nextInt(nodes);
      if (a != b && edges.add(edge(a, b))) {
        connect(a, b);
      }
    }
  }

  private static long edge(int a, int b) {
    return (long) Math.min(a, b) << 32 | Math.max(a, b);
  }

  /** Adds a node with the next deterministic key, linked to nothing yet; returns its index. */
  public int addNode() {
    byte[] k = new byte[VerifyingKey.SIZE];
    String hex;
    do {
      random.nextBytes(k);
      hex = HexFormat.of().formatHex(k);
    } while (index.containsKey(hex));
    index.put(hex, keys.size());
    keys.add(hex);
    addresses.add(FakeAdminServer.addressOf(hex));
    listed.add(new ArrayList<>());
    return keys.size() - 1;
  }

  /** Makes {@code a} and {@code b} peers: each lists the other. */
  public void connect(int a, int b) {
    listed.get(a).add(keys.get(b));
    listed.get(b).add(keys.get(a));
  }

  /**
   * Makes node {@code a} list {@code key} among its peers once more, whether it is a node, itself,
   * already listed, or no node at all.
   */
  public void list(int a, String key) {
    listed.get(a).add(key);
  }

  public SimulatedOverlay remoteDelay(Duration delay) {
    this.remoteDelay = delay;
    return this;
  }

  public SimulatedOverlay localDelay(Duration delay) {
    this.localDelay = delay;
    return this;
  }

  public int size() {
    return keys.size();
  }

  public String key(int i) {
    return keys.get(i);
  }

  public String address(int i) {
    return addresses.get(i);
  }

  /** All keys, node 0 first. */
  public List<String> keys() {
    return List.copyOf(keys);
  }

  /** The keys node {@code i} lists as its peers. */
  public List<String> peersOf(int i) {
    return List.copyOf(listed.get(i));
  }

  /** The name in node {@code i}'s NodeInfo. */
  public static String nameOf(int i) {
    return String.format(Locale.ROOT, "sim-%05d", i);
  }

  /** Every peering some node lists (self-listings left out), as a crawl that reached all would. */
  public Set<Link> links() {
    Set<Link> out = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      for (String k : listed.get(i)) {
        if (!k.equals(keys.get(i))) {
          out.add(Link.of(keys.get(i), k));
        }
      }
    }
    return out;
  }

  /** The average number of peers a node lists. */
  public double averagePeers() {
    long sum = 0;
    for (List<String> l : listed) {
      sum += l.size();
    }
    return (double) sum / keys.size();
  }

  @Override
  public Reply reply(String request, String key) {
    switch (request) {
      case "getSelf":
        return Reply.success(self(), localDelay);
      case "getPeers":
        return Reply.success(peers(), localDelay);
      case "debug_remoteGetPeers":
      case "getNodeInfo":
        Integer i = key == null ? null : index.get(key.toLowerCase(Locale.ROOT));
        if (i == null) {
          return Reply.failure("timeout", remoteDelay);
        }
        JsonNode body = request.equals("getNodeInfo") ? nodeInfo(i) : peerKeys(listed.get(i));
        ObjectNode r = JSON.createObjectNode();
        r.set(addresses.get(i), body);
        return Reply.success(r, remoteDelay);
      default:
        return Reply.failure("unknown request " + request, localDelay);
    }
  }

  private ObjectNode self() {
    ObjectNode fields =
        JSON.createObjectNode()
            .put("build_name", "yggdrasil")
            .put("build_version", BUILD_VERSION)
            .put("key", keys.get(0))
            .put("subnet", Subnet.forKey(VerifyingKey.parseHex(keys.get(0))).toString());
    fields.putArray("coords");
    ObjectNode r = JSON.createObjectNode();
    r.putObject("self").set(addresses.get(0), fields);
    return r;
  }

  private ObjectNode peers() {
    ObjectNode r = JSON.createObjectNode();
    ObjectNode peers = r.putObject("peers");
    int port = 1;
    for (String k : listed.get(0)) {
      ObjectNode p = peers.putObject(FakeAdminServer.addressOf(k));
      p.put("key", k)
          .put("port", port)
          .put("remote", "tcp://127.0.0.1:" + (20000 + port))
          .put("bytes_recvd", 0)
          .put("bytes_sent", 0)
          .put("uptime", 1.5);
      p.putArray("coords").add(0).add(port);
      port++;
    }
    return r;
  }

  private static ObjectNode peerKeys(List<String> keys) {
    ObjectNode r = JSON.createObjectNode();
    ArrayNode a = r.putArray("keys");
    keys.forEach(a::add);
    return r;
  }

  /** Node {@code i}'s NodeInfo: a name and what Yggdrasil adds itself. */
  public ObjectNode nodeInfo(int i) {
    return JSON.createObjectNode()
        .put("name", nameOf(i))
        .put("buildname", "yggdrasil")
        .put("buildversion", BUILD_VERSION)
        .put("buildplatform", "linux")
        .put("buildarch", "amd64");
  }
}
