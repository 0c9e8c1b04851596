package org.canopymesh.deploy.k8s;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/** Dynamic tests over every overlay, named after it. */
final class Overlays {
  private Overlays() {}

  static Stream<DynamicTest> each(Consumer<Rendered> check) {
    return each(Repository.overlays(), check);
  }

  static Stream<DynamicTest> each(List<Path> overlays, Consumer<Rendered> check) {
    return overlays.stream()
        .map(
            dir ->
                DynamicTest.dynamicTest(
                    dir.getFileName().toString(), () -> check.accept(Rendered.of(dir))));
  }
}
