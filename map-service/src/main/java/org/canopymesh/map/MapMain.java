package org.canopymesh.map;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.canopymesh.map.db.EmbeddedPostgres;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts the map service. With no {@code quarkus.datasource.jdbc.url} configured it first starts an
 * embedded PostgreSQL in {@code canopy.data-dir} (default {@code ~/.local/share/canopy/map}) and
 * stops it after the service, so one command runs everything; with a URL it uses that server.
 */
@QuarkusMain
public final class MapMain {
  public static final String DEFAULT_DATA_DIR = "~/.local/share/canopy/map";

  /** The embedded server this process started, if any. */
  private static volatile EmbeddedPostgres embedded;

  private MapMain() {}

  public static void main(String... args) {
    var config = ConfigProvider.getConfig();
    Optional<String> url = config.getOptionalValue("quarkus.datasource.jdbc.url", String.class);
    if (url.isPresent()) {
      Quarkus.run(args);
      return;
    }
    Path dir =
        dataDir(config.getOptionalValue("canopy.data-dir", String.class).orElse(DEFAULT_DATA_DIR));
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.start(dir.resolve("postgres"), Duration.ofSeconds(60))) {
      System.setProperty("quarkus.datasource.jdbc.url", pg.jdbcUrl());
      System.setProperty("quarkus.datasource.username", EmbeddedPostgres.USER);
      System.setProperty("quarkus.datasource.password", "");
      embedded = pg;
      Quarkus.run(args);
    }
  }

  /**
   * Stops the embedded server once the service has stopped using it. On SIGTERM the JVM exits as
   * soon as Quarkus has shut down, before {@code main} gets to close it, so this runs as the last
   * step of Quarkus's shutdown.
   */
  static void stopEmbedded() {
    EmbeddedPostgres pg = embedded;
    if (pg != null) {
      pg.close();
    }
  }

  /** {@code ~} at the start means the home directory, as in a shell. */
  public static Path dataDir(String configured) {
    if (configured.equals("~") || configured.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + configured.substring(1));
    }
    return Path.of(configured);
  }
}
