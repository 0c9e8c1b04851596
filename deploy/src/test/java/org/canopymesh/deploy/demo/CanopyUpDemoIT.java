package org.canopymesh.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./canopy up --demo 12} as a newcomer runs it: the real script, real Yggdrasil nodes, the
 * packaged crawler, map service and agents, each service with its embedded PostgreSQL, on ephemeral
 * ports and a fresh {@code CANOPY_HOME} under {@code deploy/target/}.
 *
 * <p>Checks: within three minutes the map API shows the 12 nodes in at least two islands, and every
 * name an agent registered resolves through that agent's DNS (kdig) to its node's address as the
 * map API gives it; SIGTERM to the script leaves none of its processes behind; a second run on the
 * same {@code CANOPY_HOME} finds the mirror's key and log, the crawls and the map's history from
 * the first, and names resolve again.
 */
class CanopyUpDemoIT {
  private static final int NODES = 12;

  /** The promise to a newcomer on a 2-core machine. */
  private static final Duration FIRST_RUN = Duration.ofMinutes(3);

  private static final Duration SECOND_RUN = Duration.ofSeconds(100);
  private static final Duration STOP = Duration.ofSeconds(60);
  private static final String INSTALL_HINT = "sudo apt-get install yggdrasil knot-dnsutils";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Run> runs = new ArrayList<>();

  @Test
  @Timeout(value = 7, unit = TimeUnit.MINUTES) // a guard only: every wait has its own deadline
  void oneCommandRunsTheDemoStopsCleanlyAndKeepsItsData() throws Exception {
    String kdig = tool("kdig", "/usr/bin/kdig");
    tool("yggdrasil", "/usr/sbin/yggdrasil");
    tool("curl", "/usr/bin/curl");
    Path root = root();
    for (String jar :
        List.of(
            "peer-agent/target/canopy-agent.jar",
            "crawler/target/quarkus-app/quarkus-run.jar",
            "map-service/target/quarkus-app/quarkus-run.jar")) {
      assertTrue(
          Files.isRegularFile(root.resolve(jar)),
          jar + " is missing: package the services first (the reactor does, deploy/ is last)");
    }
    Path home = root.resolve("deploy/target/canopy-up-demo");
    deleteTree(home);
    Files.createDirectories(home);

    // First run: a fresh home.
    Run first = start(root, home, "first");
    Instant deadline = first.started.plus(FIRST_RUN);
    JsonNode demo = awaitDemoJson(first, home, deadline);
    assertEquals(first.mapUrl, demo.path("map").asText(), "demo.json's map URL");
    assertEquals(NODES, demo.path("nodes").asInt());
    List<Agent> agents = agents(demo);
    assertTrue(agents.size() >= 2, "the demo runs agents: " + demo);
    for (Agent a : agents) {
      awaitResolves(first, kdig, a.dnsPort, a.name, a.address, deadline);
    }
    // Every agent serves every name: the first agent's name through the last agent's DNS.
    Agent one = agents.get(0);
    Agent last = agents.get(agents.size() - 1);
    awaitResolves(first, kdig, last.dnsPort, one.name, one.address, deadline);
    Duration resolved = Duration.between(first.started, Instant.now());
    JsonNode graph = awaitMap(first, deadline);
    Duration mapped = Duration.between(first.started, Instant.now());
    for (Agent a : agents) {
      // The names resolved to the addresses demo.json gives; the map derives them from the keys.
      assertEquals(a.address, nodeAddress(first, a.key, deadline), a.node + "'s address");
    }
    System.out.printf(
        "CanopyUpDemoIT: the %d agents' names resolve after %d s; %d nodes in %d islands on the"
            + " map after %d s%n",
        agents.size(), resolved.toSeconds(), NODES, islandsOf(graph).size(), mapped.toSeconds());

    JsonNode mirror = get(first, first.crawlerUrl + "/api/v1/mirror").orElseThrow();
    String mirrorKey = mirror.path("verifierKey").asText();
    assertEquals(mirrorKey, demo.path("mirrorKey").asText(), "demo.json's mirror key");
    assertTrue(first.stderr().contains("mirror verifier key: " + mirrorKey), first.tail());
    assertTrue(first.stdout().contains(first.mapUrl), "the map URL is printed: " + first.tail());
    long logSize = mirror.path("size").asLong();
    long lastCrawl =
        get(first, first.crawlerUrl + "/api/v1/crawls?limit=1")
            .orElseThrow()
            .get(0)
            .get("id")
            .asLong();

    stopAndCheckNothingIsLeft(first, 20);
    for (String dir :
        List.of("crawler/mirror.key", "crawler/postgres/pgdata", "map/postgres/pgdata", "demo")) {
      assertTrue(Files.exists(home.resolve(dir)), dir + " survives the stop");
    }

    // Second run on the same home: the same mirror, its log, the crawls, the map's history.
    Files.delete(home.resolve("demo/demo.json")); // so that only the second run's is read
    Run second = start(root, home, "second");
    deadline = second.started.plus(SECOND_RUN);
    JsonNode again = await(second, deadline, "the mirror", () -> mirrorOf(second));
    assertEquals(mirrorKey, again.path("verifierKey").asText(), "the mirror keeps its key");
    assertTrue(again.path("size").asLong() >= logSize, "the log keeps its " + logSize + " entries");
    JsonNode crawls = get(second, second.crawlerUrl + "/api/v1/crawls?limit=500").orElseThrow();
    assertTrue(
        crawls.findValues("id").stream().anyMatch(id -> id.asLong() == lastCrawl),
        "crawl " + lastCrawl + " of the first run is kept: " + crawls);
    JsonNode node =
        await(
            second,
            deadline,
            "node " + one.node + " on the map",
            () -> get(second, second.mapUrl + "/api/v1/nodes/" + one.key));
    Instant firstSeen = Instant.parse(node.path("firstSeen").asText());
    assertTrue(
        firstSeen.isBefore(second.started),
        "the map remembers " + one.node + " from the first run");
    JsonNode demo2 = awaitDemoJson(second, home, deadline);
    Agent again0 = agents(demo2).get(0);
    assertEquals(one.key, again0.key, "the demo brings back the same nodes");
    awaitResolves(second, kdig, again0.dnsPort, again0.name, one.address, deadline);
    stopAndCheckNothingIsLeft(second, 20);
  }

  /** Kills whatever a failed run left, so that no test leaves processes behind. */
  @AfterEach
  void killLeftovers() {
    for (Run r : runs) {
      if (r.process.isAlive()) {
        List<ProcessHandle> tree = new ArrayList<>(r.process.descendants().toList());
        r.process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
      }
    }
  }

  // --- the script ---------------------------------------------------------------------------

  private Run start(Path root, Path home, String name) throws IOException {
    int mapPort = freePort();
    int crawlerPort = freePort();
    Path out = home.resolveSibling("canopy-up-demo-" + name + ".out");
    Path err = home.resolveSibling("canopy-up-demo-" + name + ".err");
    ProcessBuilder pb =
        new ProcessBuilder(
                "./canopy",
                "up",
                "--demo",
                String.valueOf(NODES),
                "--map-port",
                String.valueOf(mapPort),
                "--crawler-port",
                String.valueOf(crawlerPort))
            .directory(root.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("CANOPY_HOME", home.toString());
    pb.environment().remove("CANOPY_DEMO_DIR");
    pb.environment().remove("CANOPY_MAP_PORT");
    pb.environment().remove("CANOPY_CRAWLER_PORT");
    Run run =
        new Run(
            pb.start(),
            Instant.now(),
            "http://127.0.0.1:" + mapPort,
            "http://127.0.0.1:" + crawlerPort,
            out,
            err);
    runs.add(run);
    return run;
  }

  /**
   * Sends SIGTERM to the script and checks that it and every process it had started (captured while
   * everything ran: nodes, agents, services, their PostgreSQL servers) are gone in time.
   */
  private void stopAndCheckNothingIsLeft(Run run, int atLeast) throws Exception {
    List<ProcessHandle> tree = run.process.descendants().toList();
    long nodes = tree.stream().filter(p -> command(p).endsWith("yggdrasil")).count();
    long javas = tree.stream().filter(p -> command(p).endsWith("java")).count();
    assertTrue(
        tree.size() >= atLeast && nodes == NODES && javas >= 2,
        "the running demo's processes: "
            + tree.size()
            + ", "
            + nodes
            + " nodes, "
            + javas
            + " JVMs");
    Instant t0 = Instant.now();
    run.process.destroy();
    assertTrue(
        run.process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS),
        "./canopy did not exit within " + STOP + " of SIGTERM: " + run.tail());
    Instant end = t0.plus(STOP);
    List<ProcessHandle> alive = tree;
    while (Instant.now().isBefore(end)) {
      alive = tree.stream().filter(ProcessHandle::isAlive).toList();
      if (alive.isEmpty()) {
        break;
      }
      Thread.sleep(200);
    }
    assertTrue(
        alive.stream().noneMatch(ProcessHandle::isAlive),
        "left running after SIGTERM: "
            + alive.stream().map(p -> p.pid() + " " + command(p)).toList());
    assertEquals(143, run.process.exitValue(), "exit status after SIGTERM: " + run.tail());
    System.out.printf(
        "CanopyUpDemoIT: %s run stopped, %d processes gone, in %d ms%n",
        run.out.getFileName(), tree.size(), Duration.between(t0, Instant.now()).toMillis());
  }

  // --- conditions ---------------------------------------------------------------------------

  /** The map shows the 12 nodes, online, each in an island, in at least two islands. */
  private JsonNode awaitMap(Run run, Instant deadline) throws Exception {
    return await(
        run,
        deadline,
        NODES + " online nodes in at least 2 islands on the map",
        () -> {
          Optional<JsonNode> stats = get(run, run.mapUrl + "/api/v1/stats");
          Optional<JsonNode> graph = get(run, run.mapUrl + "/api/v1/graph");
          Optional<JsonNode> islands = get(run, run.mapUrl + "/api/v1/islands");
          if (stats.isEmpty() || graph.isEmpty() || islands.isEmpty()) {
            return Optional.empty();
          }
          JsonNode nodes = graph.get().path("nodes");
          Set<String> listed = new HashSet<>();
          int members = 0;
          for (JsonNode i : islands.get()) {
            listed.add(i.path("id").asText());
            members += i.path("nodes").size();
          }
          Set<String> used = islandsOf(graph.get());
          boolean ok =
              stats.get().path("nodes").path("total").asInt() == NODES
                  && stats.get().path("nodes").path("online").asInt() == NODES
                  && stats.get().path("islands").asInt() >= 2
                  && nodes.size() == NODES
                  && used.size() >= 2
                  && listed.containsAll(used)
                  && members == NODES;
          return ok ? graph : Optional.empty();
        });
  }

  private static Set<String> islandsOf(JsonNode graph) {
    Set<String> ids = new HashSet<>();
    for (JsonNode n : graph.path("nodes")) {
      if (n.path("island").isNull() || n.path("island").isMissingNode()) {
        return Set.of();
      }
      ids.add(n.path("island").asText());
    }
    return ids;
  }

  /** demo.json, written by the script once the agents run; the agents' ports and names. */
  private JsonNode awaitDemoJson(Run run, Path home, Instant deadline) throws Exception {
    Path file = home.resolve("demo/demo.json");
    return await(
        run,
        deadline,
        file.toString(),
        () -> {
          try {
            return Files.exists(file)
                ? Optional.of(json.readTree(file.toFile()))
                : Optional.empty();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private String nodeAddress(Run run, String key, Instant deadline) throws Exception {
    return await(run, deadline, "node " + key, () -> get(run, run.mapUrl + "/api/v1/nodes/" + key))
        .path("address")
        .asText();
  }

  /** Asks the agent's DNS server with kdig until NAME's AAAA is ADDRESS. */
  private void awaitResolves(Run run, String kdig, int port, String name, String address, Instant d)
      throws Exception {
    InetAddress want = InetAddress.getByName(address);
    await(
        run,
        d,
        name + " AAAA " + address + " from 127.0.0.1:" + port,
        () -> {
          String answer =
              exec(
                  kdig,
                  "@127.0.0.1",
                  "-p",
                  String.valueOf(port),
                  "+short",
                  "+time=1",
                  "+retry=0",
                  name,
                  "AAAA");
          List<String> lines = answer.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
          try {
            return lines.size() == 1 && InetAddress.getByName(lines.get(0)).equals(want)
                ? Optional.of(lines.get(0))
                : Optional.empty();
          } catch (IOException e) {
            return Optional.empty(); // not an address (an error message of kdig's): ask again
          }
        });
  }

  private Optional<JsonNode> mirrorOf(Run run) {
    return get(run, run.crawlerUrl + "/api/v1/mirror");
  }

  /**
   * Polls CONDITION every half second until it gives a value, the deadline passes (a failure with
   * the script's output) or the script exits.
   */
  private <T> T await(Run run, Instant deadline, String what, Supplier<Optional<T>> condition)
      throws InterruptedException {
    while (true) {
      Optional<T> v = condition.get();
      if (v.isPresent()) {
        return v.get();
      }
      if (!run.process.isAlive()) {
        fail(
            "./canopy exited (" + run.process.exitValue() + ") before " + what + ": " + run.tail());
      }
      if (Instant.now().isAfter(deadline)) {
        fail(
            "no "
                + what
                + " within "
                + Duration.between(run.started, deadline).toSeconds()
                + " s of ./canopy up: "
                + run.tail());
      }
      Thread.sleep(500);
    }
  }

  // --- plumbing -----------------------------------------------------------------------------

  private Optional<JsonNode> get(Run run, String url) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(json.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // not up yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String exec(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "";
      }
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<Agent> agents(JsonNode demo) {
    List<Agent> agents = new ArrayList<>();
    for (JsonNode a : demo.path("agents")) {
      String dns = a.path("dns").asText();
      agents.add(
          new Agent(
              a.path("node").asText(),
              a.path("key").asText(),
              a.path("address").asText(),
              Integer.parseInt(dns.substring(dns.lastIndexOf(':') + 1)),
              a.path("names").get(0).asText()));
    }
    return agents;
  }

  /** A tool on PATH or where Debian puts it; a failure with the install hint, never a skip. */
  private static String tool(String name, String debian) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    if (Files.isExecutable(Path.of(debian))) {
      return debian;
    }
    String hint = name.equals("curl") ? "sudo apt-get install curl" : INSTALL_HINT;
    return fail("./canopy up --demo needs " + name + ", which is not installed: " + hint);
  }

  private static Path root() throws IOException {
    String root = System.getProperty("canopy.root");
    if (root == null) {
      return fail(
          "the system property canopy.root (the repository root) is not set; deploy/pom.xml sets it for failsafe");
    }
    Path p = Path.of(root).toRealPath();
    assertTrue(Files.isExecutable(p.resolve("canopy")), "no ./canopy in " + p);
    return p;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String command(ProcessHandle p) {
    return p.info().command().orElse("?");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private record Agent(String node, String key, String address, int dnsPort, String name) {}

  /** One {@code ./canopy up} process, its ports and its output files. */
  private record Run(
      Process process, Instant started, String mapUrl, String crawlerUrl, Path out, Path err) {
    String stdout() {
      return read(out);
    }

    String stderr() {
      return read(err);
    }

    /** The end of the script's output, for failure messages; the services' logs are named in it. */
    String tail() {
      String s = "\n--- stderr (" + err + "):\n" + stderr() + "\n--- stdout:\n" + stdout();
      return s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s;
    }

    private static String read(Path p) {
      try {
        return Files.readString(p);
      } catch (IOException e) {
        return "(" + e.getMessage() + ")";
      }
    }
  }
}
