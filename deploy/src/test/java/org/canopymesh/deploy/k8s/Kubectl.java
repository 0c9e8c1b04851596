package org.canopymesh.deploy.k8s;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Renders a kustomization with the {@code kubectl} on the PATH, the tool operators apply with. It
 * must be there: a test that cannot render fails, it is never skipped.
 */
final class Kubectl {
  static final String MISSING =
      "kubectl is needed to render k8s/: sudo apt-get install kubernetes-client";

  /** Rendering takes about a second; this only bounds a kubectl that hangs. */
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private Kubectl() {}

  /** {@code kubectl kustomize dir}: the rendered YAML stream. */
  static String kustomize(Path dir) {
    Path kubectl = Command.find("kubectl", MISSING);
    Command.Result r =
        Command.run(List.of(kubectl.toString(), "kustomize", dir.toString()), Map.of(), TIMEOUT);
    if (r.exit() != 0) {
      throw new AssertionError(
          kubectl + " kustomize " + dir + " failed (" + r.exit() + "): " + r.err());
    }
    return r.out();
  }
}
