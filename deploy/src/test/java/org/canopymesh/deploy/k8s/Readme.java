package org.canopymesh.deploy.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** k8s/README.md, which tells operators what to create by hand. */
final class Readme {
  private Readme() {}

  static String text() {
    try {
      return Files.readString(Repository.k8s().resolve("README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
