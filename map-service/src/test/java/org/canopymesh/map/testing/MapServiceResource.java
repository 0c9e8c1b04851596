package org.canopymesh.map.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.canopymesh.map.db.EmbeddedPostgres;

/**
 * The real parts a {@code @QuarkusTest} of the map service runs against: the embedded PostgreSQL
 * the service itself starts (fresh, under {@code target/}) and a {@link FakeCrawler} configured as
 * its only crawler. Tests get the crawler through a {@code FakeCrawler} field.
 */
public class MapServiceResource implements QuarkusTestResourceLifecycleManager {
  private EmbeddedPostgres pg;
  private FakeCrawler crawler;

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), "pg-").toAbsolutePath();
      pg = EmbeddedPostgres.start(dir.resolve("postgres"), Duration.ofSeconds(60));
      crawler = FakeCrawler.start();
      return Map.of(
          "canopy.data-dir",
          dir.toString(),
          "quarkus.datasource.jdbc.url",
          pg.jdbcUrl(),
          "quarkus.datasource.username",
          EmbeddedPostgres.USER,
          "quarkus.datasource.password",
          "",
          "canopy.map.crawlers",
          crawler.url(),
          "canopy.map.poll-interval",
          "1h",
          "canopy.map.freshness.tick",
          "1s");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(crawler, new TestInjector.MatchesType(FakeCrawler.class));
  }

  @Override
  public void stop() {
    if (crawler != null) {
      crawler.close();
    }
    if (pg != null) {
      pg.close();
    }
  }
}
