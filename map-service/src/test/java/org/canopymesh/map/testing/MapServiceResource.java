package org.canopymesh.map.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real parts a {@code @QuarkusTest} of the map service runs against: the embedded PostgreSQL
 * the service itself starts (fresh, under {@code target/}) and a {@link FakeCrawler} configured as
 * its only crawler. Tests get the crawler through a {@code FakeCrawler} field.
 */
public class MapServiceResource implements QuarkusTestResourceLifecycleManager {
  private TestDatabase db;
  private FakeCrawler crawler;

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), "pg-").toAbsolutePath();
      db = TestDatabase.start(dir);
      crawler = FakeCrawler.start();
      Map<String, String> props = db.properties();
      props.put("canopy.map.crawlers", crawler.url());
      props.put("canopy.map.poll-interval", "1h");
      props.put("canopy.map.freshness.tick", "1s");
      return props;
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
    if (db != null) {
      db.close();
    }
  }
}
