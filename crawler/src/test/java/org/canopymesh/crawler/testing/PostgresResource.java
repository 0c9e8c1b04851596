package org.canopymesh.crawler.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.canopymesh.crawler.db.EmbeddedPostgres;

/**
 * A real PostgreSQL for {@code @QuarkusTest}s: the same embedded server the service starts, in a
 * fresh directory under {@code target/}, so every test class starts from an empty database.
 * Scheduled crawls are off; tests start crawls themselves.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
  private EmbeddedPostgres pg;

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), "pg-");
      pg = EmbeddedPostgres.start(dir, Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Map.of(
        "quarkus.datasource.jdbc.url",
        pg.jdbcUrl(),
        "quarkus.datasource.username",
        EmbeddedPostgres.USER,
        "quarkus.datasource.password",
        "",
        "canopy.crawler.scheduled",
        "false");
  }

  @Override
  public void stop() {
    if (pg != null) {
      pg.close();
    }
  }
}
