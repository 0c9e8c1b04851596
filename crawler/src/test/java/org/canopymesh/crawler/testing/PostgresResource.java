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
  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory(Path.of("target"), "pg-").toAbsolutePath();
      pg = EmbeddedPostgres.start(dir.resolve("postgres"), Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Map.of(
        "canopy.data-dir",
        dir.toString(),
        "canopy.mirror.checkpoint-interval",
        "100ms",
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
