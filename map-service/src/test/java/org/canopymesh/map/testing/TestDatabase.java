package org.canopymesh.map.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.canopymesh.map.db.EmbeddedPostgres;

/**
 * A fresh embedded PostgreSQL (the one the service itself starts) in {@code dataDir/postgres}, and
 * the properties that point the service and its data directory at it.
 */
public final class TestDatabase implements AutoCloseable {
  private final EmbeddedPostgres pg;
  private final Path dataDir;

  private TestDatabase(EmbeddedPostgres pg, Path dataDir) {
    this.pg = pg;
    this.dataDir = dataDir;
  }

  public static TestDatabase start(Path dataDir) {
    return new TestDatabase(
        EmbeddedPostgres.start(dataDir.resolve("postgres"), Duration.ofSeconds(60)), dataDir);
  }

  /** {@code canopy.data-dir} and the datasource; callers add their own. */
  public Map<String, String> properties() {
    Map<String, String> props = new HashMap<>();
    props.put("canopy.data-dir", dataDir.toString());
    props.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
    props.put("quarkus.datasource.username", EmbeddedPostgres.USER);
    props.put("quarkus.datasource.password", "");
    return props;
  }

  @Override
  public void close() {
    pg.close();
  }
}
