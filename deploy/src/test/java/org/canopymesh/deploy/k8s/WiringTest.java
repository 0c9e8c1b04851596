package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Names that point at other objects point at objects the render has. */
class WiringTest {
  @TestFactory
  Stream<DynamicTest> servicesSelectPodsThatExist() {
    return Overlays.each(
        r -> {
          for (Service svc : r.all(Service.class)) {
            String name = svc.getMetadata().getName();
            List<PodTemplate> pods =
                r.podTemplates().stream()
                    .filter(p -> matches(svc.getSpec().getSelector(), p))
                    .toList();
            assertFalse(pods.isEmpty(), "Service " + name + " selects no pod");
            for (ServicePort port : svc.getSpec().getPorts()) {
              assertTrue(
                  pods.stream().allMatch(p -> exposes(p, port)),
                  "Service " + name + " port " + port.getName() + " is no port of its pods");
            }
          }
        });
  }

  private static boolean matches(Map<String, String> selector, PodTemplate p) {
    return selector != null
        && !selector.isEmpty()
        && selector.entrySet().stream()
            .allMatch(e -> e.getValue().equals(p.labels().get(e.getKey())));
  }

  private static boolean exposes(PodTemplate p, ServicePort port) {
    var target = port.getTargetPort();
    return p.spec().getContainers().stream()
        .flatMap(c -> c.getPorts().stream())
        .anyMatch(
            cp ->
                target.getStrVal() != null
                    ? target.getStrVal().equals(cp.getName())
                    : target.getIntVal().equals(cp.getContainerPort()));
  }

  @TestFactory
  Stream<DynamicTest> disruptionBudgetsSelectPods() {
    return Overlays.each(
        r -> {
          for (PodDisruptionBudget pdb : r.all(PodDisruptionBudget.class)) {
            LabelSelector s = pdb.getSpec().getSelector();
            assertTrue(
                r.podTemplates().stream().anyMatch(p -> Selectors.matches(s, p.labels())),
                "PodDisruptionBudget " + pdb.getMetadata().getName() + " selects no pod");
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> theAutoscalerScalesADeploymentThatExists() {
    return Overlays.each(
        r -> {
          for (HorizontalPodAutoscaler hpa : r.all(HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            assertEquals("Deployment", target.getKind());
            r.get(Deployment.class, target.getName());
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> podsUseConfigMapsVolumesAndServiceAccountsThatExist() {
    return Overlays.each(
        r -> {
          for (PodTemplate p : r.podTemplates()) {
            String sa = p.spec().getServiceAccountName();
            if (sa != null) {
              r.get(ServiceAccount.class, sa);
            }
            Set<String> volumes = new TreeSet<>(p.claims());
            for (Volume v : p.spec().getVolumes()) {
              volumes.add(v.getName());
              if (v.getConfigMap() != null) {
                r.get(ConfigMap.class, v.getConfigMap().getName());
              }
            }
            for (Container c : p.allContainers()) {
              for (VolumeMount m : c.getVolumeMounts()) {
                assertTrue(volumes.contains(m.getName()), p.describe(c) + " mounts " + m.getName());
              }
              for (EnvFromSource e : c.getEnvFrom()) {
                if (e.getConfigMapRef() != null) {
                  r.get(ConfigMap.class, e.getConfigMapRef().getName());
                }
              }
              for (EnvVar e : c.getEnv()) {
                if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                  r.get(ConfigMap.class, e.getValueFrom().getConfigMapKeyRef().getName());
                }
              }
            }
          }
        });
  }

  /**
   * Secrets are never in the repository, so every Secret a pod uses is either one that
   * CloudNativePG makes for a Cluster of the render ({@code <cluster>-app}) or one that
   * k8s/README.md tells the operator to create.
   */
  @TestFactory
  Stream<DynamicTest> everySecretIsMadeByTheOperatorOrDocumented() {
    String readme = Readme.text();
    return Overlays.each(
        r -> {
          Set<String> madeByCnpg = new TreeSet<>();
          r.all(CnpgCluster.class).forEach(c -> madeByCnpg.add(c.metadata().getName() + "-app"));
          for (String secret : Secrets.referenced(r)) {
            boolean documented =
                Pattern.compile(
                        "kubectl -n canopy create secret (generic|tls) "
                            + Pattern.quote(secret)
                            + "\\s")
                    .matcher(readme)
                    .find();
            assertTrue(
                madeByCnpg.contains(secret) || documented,
                r
                    + " uses Secret "
                    + secret
                    + ", which no Cluster makes and k8s/README.md"
                    + " does not say how to create");
          }
        });
  }
}
