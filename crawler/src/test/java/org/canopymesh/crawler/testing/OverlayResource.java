package org.canopymesh.crawler.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.canopymesh.naming.key.SigningKey;

/**
 * A small real overlay for {@code @QuarkusTest}s of the service: seven nodes (a chain with a
 * branch; node 6 asks to be hidden), each with a name, a location and a signed record. The crawler
 * is pointed at node 0. Tests reach the overlay through {@link #overlay()}.
 */
public class OverlayResource implements QuarkusTestResourceLifecycleManager {
  public static final int NODES = 7;
  public static final int HIDDEN = 6;
  private static volatile YggdrasilOverlay overlay;

  public static YggdrasilOverlay overlay() {
    return overlay;
  }

  @Override
  public Map<String, String> start() {
    Path dir;
    try {
      dir = Files.createTempDirectory(Path.of("target"), "overlay-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    YggdrasilOverlay.Builder b = YggdrasilOverlay.builder(dir).nodes(NODES);
    b.chain(0, 1, 2, 3, 4).link(2, 5).link(5, HIDDEN);
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < NODES; i++) {
      SigningKey key = SigningKey.generate(random);
      String record = TestRecords.note(key, "n" + i + ".mesh.alt");
      Map<String, Object> canopy =
          i == HIDDEN
              ? Map.of("records", List.of(record), "hide", true)
              : Map.of("records", List.of(record), "island", "kiez");
      b.key(i, key)
          .nodeInfo(
              i,
              Map.of(
                  "name",
                  "n" + i,
                  "location",
                  Map.of("lat", 52.5 + i / 100.0, "lon", 13.4),
                  "canopy",
                  canopy));
    }
    overlay = b.start();
    overlay.awaitConverged(Duration.ofSeconds(60));
    return Map.of("canopy.crawler.admin-endpoint", overlay.node(0).adminEndpoint());
  }

  @Override
  public void stop() {
    if (overlay != null) {
      overlay.close();
    }
  }
}
