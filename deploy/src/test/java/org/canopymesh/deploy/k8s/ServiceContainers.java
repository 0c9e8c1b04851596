package org.canopymesh.deploy.k8s;

import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Canopy's own service containers, known by their image ({@code canopy-crawler}, {@code
 * canopy-map-service}), and what their module's {@code application.properties} says about them.
 */
final class ServiceContainers {
  /** Image name to module directory. */
  private static final Map<String, String> MODULES =
      Map.of("canopy-crawler", "crawler", "canopy-map-service", "map-service");

  private ServiceContainers() {}

  static boolean isService(Container c) {
    return module(c).isPresent();
  }

  static Optional<String> module(Container c) {
    return Optional.ofNullable(MODULES.get(ImageRef.parse(c.getImage()).shortName()));
  }

  /** {@code quarkus.http.port} of the service the container runs. */
  static int httpPort(Container c) {
    String module = module(c).orElseThrow(() -> new IllegalArgumentException(c.getImage()));
    return Integer.parseInt(properties(module).getProperty("quarkus.http.port", "8080"));
  }

  static Properties properties(String module) {
    Path file =
        Repository.root().resolve(module).resolve("src/main/resources/application.properties");
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
