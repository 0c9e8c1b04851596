package org.canopymesh.deploy.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the repository's files are, found from the working directory of the test run. */
final class Repository {
  private Repository() {}

  /**
   * The repository root: the nearest directory upwards that holds {@code k8s/} and {@code mvnw}.
   */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("k8s")) && Files.isRegularFile(d.resolve("mvnw"))) {
        return d;
      }
    }
    throw new IllegalStateException("no repository root with k8s/ above " + dir);
  }

  static Path k8s() {
    return root().resolve("k8s");
  }

  /**
   * Every overlay: each directory under {@code k8s/overlays} with a kustomization, so that a new
   * overlay is tested without touching the tests.
   */
  static List<Path> overlays() {
    try (Stream<Path> dirs = Files.list(k8s().resolve("overlays"))) {
      List<Path> found =
          dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted().toList();
      if (found.isEmpty()) {
        throw new IllegalStateException("no overlay under " + k8s().resolve("overlays"));
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Overlays meant for production: their names start with {@code prod}. */
  static List<Path> productionOverlays() {
    return overlays().stream().filter(d -> d.getFileName().toString().startsWith("prod")).toList();
  }
}
