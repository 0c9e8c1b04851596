package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every container of every pod, init containers and sidecars included: pinned image, requests and
 * limits, and the Pod Security Standards' "restricted" profile, which the Namespace enforces.
 */
class PodSecurityTest {
  @TestFactory
  Stream<DynamicTest> noImageUsesTheLatestTag() {
    return Overlays.each(
        r -> {
          for (PodTemplate p : r.podTemplates()) {
            for (Container c : p.allContainers()) {
              assertTrue(
                  ImageRef.parse(c.getImage()).pinned(),
                  p.describe(c) + " runs " + c.getImage() + ": pin a tag or digest, not latest");
            }
          }
          for (CnpgCluster c : r.all(CnpgCluster.class)) {
            assertNotNull(c.spec().imageName(), "Cluster " + c.metadata().getName());
            assertTrue(ImageRef.parse(c.spec().imageName()).pinned(), c.spec().imageName());
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> everyContainerHasRequestsAndLimits() {
    return Overlays.each(
        r -> {
          for (PodTemplate p : r.podTemplates()) {
            for (Container c : p.allContainers()) {
              assertNotNull(c.getResources(), p.describe(c) + " has no resources");
              assertCpuAndMemory(c.getResources().getRequests(), p.describe(c) + " requests");
              assertCpuAndMemory(c.getResources().getLimits(), p.describe(c) + " limits");
            }
          }
          for (CnpgCluster c : r.all(CnpgCluster.class)) {
            String what = "Cluster " + c.metadata().getName();
            assertNotNull(c.spec().resources(), what + " has no resources");
            assertCpuAndMemory(c.spec().resources().getRequests(), what + " requests");
            assertCpuAndMemory(c.spec().resources().getLimits(), what + " limits");
          }
        });
  }

  private static void assertCpuAndMemory(Map<String, Quantity> q, String what) {
    assertNotNull(q, what + " nothing");
    assertTrue(q.containsKey("cpu") && q.containsKey("memory"), what + " " + q.keySet());
  }

  @TestFactory
  Stream<DynamicTest> everyPodRunsAsNonRootWithReadOnlyRootFilesystem() {
    return Overlays.each(
        r -> {
          for (PodTemplate p : r.podTemplates()) {
            PodSecurityContext pod = p.spec().getSecurityContext();
            assertNotNull(pod, p.owner() + " has no pod securityContext");
            assertNotNull(pod.getFsGroup(), p.owner() + " sets no fsGroup");
            assertEquals(
                "RuntimeDefault",
                pod.getSeccompProfile() == null ? null : pod.getSeccompProfile().getType(),
                p.owner() + " seccompProfile");
            for (Container c : p.allContainers()) {
              SecurityContext sc =
                  Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
              assertEquals(
                  Boolean.TRUE,
                  effective(
                      sc,
                      pod,
                      SecurityContext::getRunAsNonRoot,
                      PodSecurityContext::getRunAsNonRoot),
                  p.describe(c) + " runAsNonRoot");
              Long uid =
                  effective(
                      sc, pod, SecurityContext::getRunAsUser, PodSecurityContext::getRunAsUser);
              assertTrue(uid != null && uid > 0, p.describe(c) + " runAsUser " + uid);
              assertEquals(
                  Boolean.TRUE,
                  sc.getReadOnlyRootFilesystem(),
                  p.describe(c) + " readOnlyRootFilesystem");
              assertEquals(
                  Boolean.FALSE,
                  sc.getAllowPrivilegeEscalation(),
                  p.describe(c) + " allowPrivilegeEscalation");
              assertFalse(
                  Boolean.TRUE.equals(sc.getPrivileged()), p.describe(c) + " is privileged");
            }
          }
        });
  }

  private static <T> T effective(
      SecurityContext container,
      PodSecurityContext pod,
      Function<SecurityContext, T> ofContainer,
      Function<PodSecurityContext, T> ofPod) {
    T own = ofContainer.apply(container);
    return own != null ? own : ofPod.apply(pod);
  }

  @TestFactory
  Stream<DynamicTest> everyContainerDropsAllCapabilitiesAndAddsNone() {
    return Overlays.each(
        r -> {
          for (PodTemplate p : r.podTemplates()) {
            for (Container c : p.allContainers()) {
              Capabilities caps =
                  c.getSecurityContext() == null ? null : c.getSecurityContext().getCapabilities();
              assertNotNull(caps, p.describe(c) + " drops no capabilities");
              assertEquals(List.of("ALL"), caps.getDrop(), p.describe(c) + " drop");
              assertTrue(caps.getAdd().isEmpty(), p.describe(c) + " adds " + caps.getAdd());
            }
          }
        });
  }

  /** The root filesystem is read-only; the JVM and Quarkus write to /tmp. */
  @TestFactory
  Stream<DynamicTest> everyServiceContainerHasAWritableTmp() {
    return Overlays.each(
        r -> {
          for (PodTemplate p : r.podTemplates()) {
            for (Container c : p.serviceContainers()) {
              VolumeMount tmp =
                  c.getVolumeMounts().stream()
                      .filter(m -> m.getMountPath().equals("/tmp"))
                      .findFirst()
                      .orElseThrow(() -> new AssertionError(p.describe(c) + " has no /tmp"));
              assertFalse(
                  Boolean.TRUE.equals(tmp.getReadOnly()), p.describe(c) + " /tmp read-only");
              assertTrue(
                  p.spec().getVolumes().stream()
                      .anyMatch(v -> v.getName().equals(tmp.getName()) && v.getEmptyDir() != null),
                  p.describe(c) + " /tmp is not an emptyDir");
            }
          }
        });
  }
}
