package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** What production overlays (named prod*) promise: redundancy that survives a node's loss. */
class ProductionTest {
  private static final String CRAWLER = "canopy-crawler";
  private static final String MAP = "canopy-map-service";

  @TestFactory
  Stream<DynamicTest> theMapServiceRunsAtLeastTwoReplicas() {
    return Overlays.each(
        r -> {
          Integer replicas = r.get(Deployment.class, MAP).getSpec().getReplicas();
          assertTrue(replicas != null && replicas >= 2, MAP + " replicas " + replicas);
        });
  }

  @TestFactory
  Stream<DynamicTest> productionHasDisruptionBudgetsForBothServices() {
    return Overlays.each(
        Repository.productionOverlays(),
        r -> {
          for (String app : new String[] {CRAWLER, MAP}) {
            boolean covered =
                r.all(PodDisruptionBudget.class).stream()
                    .anyMatch(
                        pdb ->
                            Selectors.matches(
                                pdb.getSpec().getSelector(),
                                Map.of("app.kubernetes.io/name", app)));
            assertTrue(covered, "no PodDisruptionBudget for " + app);
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> productionScalesTheMapServiceOnCpu() {
    return Overlays.each(
        Repository.productionOverlays(),
        r -> {
          HorizontalPodAutoscaler hpa =
              r.all(HorizontalPodAutoscaler.class).stream()
                  .filter(h -> h.getSpec().getScaleTargetRef().getName().equals(MAP))
                  .findFirst()
                  .orElseThrow(() -> new AssertionError("no autoscaler for " + MAP));
          assertTrue(hpa.getSpec().getMinReplicas() >= 2, "minReplicas");
          assertTrue(hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas());
          assertTrue(
              hpa.getSpec().getMetrics().stream()
                  .anyMatch(
                      m -> m.getResource() != null && m.getResource().getName().equals("cpu")),
              "no CPU metric");
          // Applying the manifests again must not scale the map below the autoscaler's minimum.
          assertTrue(
              r.get(Deployment.class, MAP).getSpec().getReplicas()
                  >= hpa.getSpec().getMinReplicas());
        });
  }

  /**
   * A standby crawler, and a rolling update that starts the new pod before an old one goes: with
   * the single-writer lock there is never a second writer, and never long without one.
   */
  @TestFactory
  Stream<DynamicTest> productionKeepsAStandbyCrawlerThroughUpdates() {
    return Overlays.each(
        Repository.productionOverlays(),
        r -> {
          var spec = r.get(Deployment.class, CRAWLER).getSpec();
          assertTrue(spec.getReplicas() >= 2, "crawler replicas " + spec.getReplicas());
          assertEquals("RollingUpdate", spec.getStrategy().getType());
          assertEquals(0, spec.getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        });
  }

  @Test
  void theRecommendedProductionOverlayRunsCloudNativePgClustersOfThreeInstances() {
    Rendered prod = Rendered.of(Repository.k8s().resolve("overlays/prod"));
    assertFalse(prod.all(CnpgCluster.class).isEmpty(), "prod has no CloudNativePG Cluster");
    for (CnpgCluster c : prod.all(CnpgCluster.class)) {
      assertTrue(c.spec().instances() >= 3, c.metadata().getName() + " instances");
      assertTrue(Boolean.TRUE.equals(c.spec().affinity().enablePodAntiAffinity()));
    }
  }

  @TestFactory
  Stream<DynamicTest> everyServiceHasItsOwnDatabase() {
    return Overlays.each(
        r -> {
          String crawlerDb = jdbcUrl(r, CRAWLER);
          String mapDb = jdbcUrl(r, MAP);
          assertTrue(crawlerDb.startsWith("jdbc:postgresql://"), crawlerDb);
          assertFalse(crawlerDb.equals(mapDb), "one database for both: " + crawlerDb);
        });
  }

  private static String jdbcUrl(Rendered r, String deployment) {
    return r
        .get(Deployment.class, deployment)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .stream()
        .flatMap(c -> c.getEnv().stream())
        .filter(e -> e.getName().equals("QUARKUS_DATASOURCE_JDBC_URL"))
        .map(e -> e.getValue())
        .findFirst()
        .orElseThrow(() -> new AssertionError(deployment + " has no database URL"));
  }
}
