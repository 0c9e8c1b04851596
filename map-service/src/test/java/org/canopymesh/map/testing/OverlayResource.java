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
 * The whole chain for the end-to-end test: real Yggdrasil nodes in two declared neighbourhoods
 * (plus one node that asks to be hidden), the packaged crawler walking them from node 0, and the
 * map service polling that crawler. The crawler is started as its own process from {@code
 * crawler.app.jar}, with its own embedded PostgreSQL, as an operator would run it.
 */
public class OverlayResource implements QuarkusTestResourceLifecycleManager {
  /** The nodes: Kreuzberg 0-2, Neukölln 3-5 (5 unplaced), 6 hidden. */
  public static final List<Overlay.Spec> SPECS =
      List.of(
          new Overlay.Spec("kreuzberg-roof", 52.4986, 13.4030, "Kreuzberg", false, new int[] {}),
          new Overlay.Spec("kreuzberg-cafe", 52.5001, 13.4061, "Kreuzberg", false, new int[] {0}),
          new Overlay.Spec("kreuzberg-school", 52.4975, 13.4101, "Kreuzberg", false, new int[] {1}),
          new Overlay.Spec("neukoelln-tower", 52.4811, 13.4351, "Neukölln", false, new int[] {0}),
          new Overlay.Spec("neukoelln-garden", 52.4795, 13.4380, "Neukölln", false, new int[] {3}),
          new Overlay.Spec("neukoelln-basement", null, null, "Neukölln", false, new int[] {4}),
          new Overlay.Spec("secret-node", 52.49, 13.42, "Kreuzberg", true, new int[] {2}));

  /** The keys of the started nodes, by index, for the test. */
  public static final List<String> KEYS = new ArrayList<>();

  /** The crawler's log, for a test's failure message. */
  private static volatile Path crawlerLog;

  private Overlay overlay;
  private Process crawler;
  private TestDatabase db;

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), "e2e-").toAbsolutePath();
      overlay = Overlay.start(dir.resolve("overlay"), SPECS, Duration.ofSeconds(30));
      KEYS.clear();
      for (int i = 0; i < SPECS.size(); i++) {
        KEYS.add(overlay.node(i).key());
      }
      String crawlerUrl = startCrawler(dir.resolve("crawler"));
      db = TestDatabase.start(dir.resolve("map"));
      Map<String, String> props = db.properties();
      props.put("canopy.map.crawlers", crawlerUrl);
      props.put("canopy.map.poll-interval", "1s");
      return props;
    } catch (IOException e) {
      stop();
      throw new IllegalStateException("starting the overlay and the crawler failed", e);
    }
  }

  private String startCrawler(Path dir) throws IOException {
    String jar = System.getProperty("crawler.app.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "the end-to-end test runs the packaged crawler ("
              + jar
              + "): ./mvnw -pl crawler -am package");
    }
    Files.createDirectories(dir);
    crawlerLog = dir.resolve("crawler.log");
    int port = Overlay.freePort();
    crawler =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dcanopy.data-dir=" + dir,
                "-Dquarkus.http.port=" + port,
                "-Dcanopy.crawler.admin-endpoint=" + overlay.node(0).adminEndpoint(),
                "-Dcanopy.crawler.interval=5s",
                "-jar",
                jar)
            .redirectErrorStream(true)
            .redirectOutput(crawlerLog.toFile())
            .start();
    // Not awaited here: a slow first crawl then fails the test with the crawler's log in its
    // message, rather than a bare boot failure of the test application.
    return "http://127.0.0.1:" + port;
  }

  /** The last lines of the crawler's log. */
  public static String crawlerLogTail() {
    try {
      List<String> lines = Files.readAllLines(crawlerLog);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "no crawler log: " + e;
    }
  }

  @Override
  public void stop() {
    if (crawler != null) {
      Overlay.stop(crawler, Duration.ofSeconds(30));
    }
    if (overlay != null) {
      overlay.close();
    }
    if (db != null) {
      db.close();
    }
  }
}
