package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Kubernetes asks the services' own Quarkus health checks whether they started, live, serve. */
class ProbeTest {
  /** Probe, as named in messages, to the SmallRye Health path it must ask. */
  private static final Map<String, String> PATHS =
      Map.of(
          "startupProbe", "/q/health/started",
          "readinessProbe", "/q/health/ready",
          "livenessProbe", "/q/health/live");

  @Test
  void bothServicesHaveTheHealthExtension() throws Exception {
    for (String module : new String[] {"crawler", "map-service"}) {
      String pom = Files.readString(Repository.root().resolve(module + "/pom.xml"));
      assertTrue(pom.contains("<artifactId>quarkus-smallrye-health</artifactId>"), module);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyServiceContainerHasReadinessAndLivenessProbes() {
    return Overlays.each(
        r -> {
          int services = 0;
          for (PodTemplate p : r.podTemplates()) {
            for (Container c : p.serviceContainers()) {
              services++;
              assertNotNull(c.getStartupProbe(), p.describe(c) + " startupProbe");
              assertNotNull(c.getReadinessProbe(), p.describe(c) + " readinessProbe");
              assertNotNull(c.getLivenessProbe(), p.describe(c) + " livenessProbe");
            }
          }
          assertEquals(2, services, r + " runs the crawler and the map service");
        });
  }

  @TestFactory
  Stream<DynamicTest> probesPointAtQuarkusHealthPorts() {
    return Overlays.each(
        r -> {
          for (PodTemplate p : r.podTemplates()) {
            for (Container c : p.serviceContainers()) {
              int port = ServiceContainers.httpPort(c);
              check(p, c, "startupProbe", c.getStartupProbe(), port);
              check(p, c, "readinessProbe", c.getReadinessProbe(), port);
              check(p, c, "livenessProbe", c.getLivenessProbe(), port);
            }
          }
        });
  }

  private static void check(PodTemplate p, Container c, String which, Probe probe, int port) {
    String what = p.describe(c) + " " + which;
    assertNotNull(probe.getHttpGet(), what + " is not an HTTP GET");
    assertEquals(PATHS.get(which), probe.getHttpGet().getPath(), what + " path");
    assertEquals(port, resolve(c, probe.getHttpGet().getPort()), what + " port");
  }

  /** A probe's port, by number or by the name of one of the container's ports. */
  static int resolve(Container c, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return c.getPorts().stream()
        .filter(cp -> port.getStrVal().equals(cp.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no port " + port.getStrVal()));
  }
}
