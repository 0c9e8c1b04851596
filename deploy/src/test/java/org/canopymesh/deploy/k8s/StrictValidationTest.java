package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The validator itself: it must reject what the API server would reject, or the render tests that
 * rely on it could pass on anything.
 */
class StrictValidationTest {
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: probe
      spec:
        replicas: 2
        selector:
          matchLabels: {app: probe}
        template:
          metadata:
            labels: {app: probe}
          spec:
            containers:
            - name: app
              image: example/app:1.0
              readinessProbe:
                httpGet: {path: /q/health/ready, port: 8080}
      """;

  private static final String CLUSTER =
      """
      apiVersion: postgresql.cnpg.io/v1
      kind: Cluster
      metadata:
        name: db
      spec:
        instances: 3
        bootstrap:
          initdb: {database: app, owner: app}
        storage: {size: 1Gi}
      """;

  private static Rendered parse(String yaml) {
    return Rendered.parse(Path.of("sample"), yaml);
  }

  private static void assertRejected(String yaml, String expected) {
    ManifestException e = assertThrows(ManifestException.class, () -> parse(yaml));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void aValidDeploymentIsAccepted() {
    Deployment d = parse(DEPLOYMENT).get(Deployment.class, "probe");
    assertEquals(2, d.getSpec().getReplicas());
    assertEquals(
        "/q/health/ready",
        d.getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getReadinessProbe()
            .getHttpGet()
            .getPath());
  }

  /** The model keeps unknown fields in additionalProperties; they must still fail, with a path. */
  @Test
  void aMisspeltFieldIsRejectedWithItsPath() {
    assertRejected(
        DEPLOYMENT.replace("readinessProbe", "readinesProbe"),
        "spec.template.spec.containers[0].readinesProbe");
  }

  @Test
  void aFieldAtTheWrongLevelIsRejected() {
    assertRejected(
        DEPLOYMENT.replace("  replicas: 2", "  replicas: 2\n  image: example/app:1.0"),
        "spec.image");
  }

  @Test
  void aValueOfTheWrongTypeIsRejected() {
    assertRejected(DEPLOYMENT.replace("replicas: 2", "replicas: [2]"), "Deployment probe");
  }

  @Test
  void anUnknownKindIsRejected() {
    assertRejected("apiVersion: v1\nkind: Pdo\nmetadata: {name: x}\n", "unknown kind v1/Pdo");
  }

  @Test
  void aKnownKindUnderAnotherApiVersionIsRejected() {
    assertRejected(
        DEPLOYMENT.replace("apps/v1", "extensions/v1beta1"), "unknown kind extensions/v1beta1");
  }

  @Test
  void aCnpgClusterIsAccepted() {
    CnpgCluster c = parse(CLUSTER).get(CnpgCluster.class, "db");
    assertEquals(3, c.spec().instances());
    assertEquals("app", c.spec().bootstrap().initdb().database());
  }

  @Test
  void aMisspeltCnpgClusterFieldIsRejected() {
    assertRejected(CLUSTER.replace("instances:", "instance:"), "instance");
  }

  @Test
  void aMisspeltFieldInsideACnpgClusterModelObjectIsRejected() {
    assertRejected(
        CLUSTER.replace("  name: db", "  name: db\n  lables: {a: b}"), "metadata.lables");
  }
}
