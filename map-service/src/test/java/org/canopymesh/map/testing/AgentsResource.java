package org.canopymesh.map.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real agents reporting to the map service under test: two peered Yggdrasil nodes, each with the
 * packaged agent ({@code canopy.agent.jar}) running {@code run} with {@code reportTo} this service.
 * The service's port is chosen here, before it starts, so that the agents can be told. No crawler:
 * the map knows these nodes from their reports alone.
 */
public class AgentsResource implements QuarkusTestResourceLifecycleManager {
  public static final List<String> KEYS = new ArrayList<>();

  private Overlay overlay;
  private final List<Process> agents = new ArrayList<>();
  private TestDatabase db;

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), "agents-").toAbsolutePath();
      overlay =
          Overlay.start(
              dir.resolve("overlay"),
              List.of(
                  new Overlay.Spec("a", null, null, null, false, new int[] {}),
                  new Overlay.Spec("b", null, null, null, false, new int[] {0})),
              Duration.ofSeconds(30));
      int port = Overlay.freePort();
      KEYS.clear();
      for (int i = 0; i < 2; i++) {
        KEYS.add(overlay.node(i).key());
        agents.add(agent(dir.resolve("agent" + i), overlay.node(i), port, 52.5 + i * 0.001));
      }
      db = TestDatabase.start(dir.resolve("map"));
      Map<String, String> props = db.properties();
      props.put("quarkus.http.test-port", Integer.toString(port));
      props.put("canopy.map.freshness.report-interval", "2s");
      return props;
    } catch (IOException e) {
      stop();
      throw new IllegalStateException("starting the nodes and agents failed", e);
    }
  }

  private static Process agent(Path dir, Overlay.Node node, int mapPort, double lat)
      throws IOException {
    String jar = System.getProperty("canopy.agent.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "this test runs the packaged agent (" + jar + "): ./mvnw -pl peer-agent -am package");
    }
    Files.createDirectories(dir);
    Path config = dir.resolve("agent.json");
    Files.writeString(
        config,
        """
        {
          "admin": "%s",
          "yggdrasilConfig": "%s",
          "dnsListen": ["127.0.0.1:%d"],
          "statusListen": "127.0.0.1:%d",
          "reportTo": ["http://127.0.0.1:%d"],
          "reportInterval": "2s",
          "location": {"lat": %s, "lon": 13.4},
          "island": "Kreuzberg",
          "stateDir": "%s"
        }
        """
            .formatted(
                node.adminEndpoint(),
                node.config(),
                Overlay.freePort(),
                Overlay.freePort(),
                mapPort,
                lat,
                dir.resolve("state")));
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx64m",
            "-jar",
            jar,
            "run",
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent.log").toFile())
        .start();
  }

  @Override
  public void stop() {
    agents.forEach(p -> Overlay.stop(p, Duration.ofSeconds(20)));
    if (overlay != null) {
      overlay.close();
    }
    if (db != null) {
      db.close();
    }
  }
}
