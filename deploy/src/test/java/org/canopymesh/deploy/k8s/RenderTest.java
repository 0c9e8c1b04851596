package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Namespace;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class RenderTest {
  @Test
  void theDocumentedOverlaysAreDiscovered() {
    List<String> names =
        Repository.overlays().stream().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.containsAll(List.of("dev", "prod", "prod-statefulset")), names.toString());
  }

  /** Rendering reads every object strictly (Manifest.read), so this also validates them all. */
  @TestFactory
  Stream<DynamicTest> everyOverlayRendersWithKubectlKustomize() {
    return Overlays.each(
        r -> {
          assertFalse(r.manifests().isEmpty(), r + " renders nothing");
          assertEquals(1, r.all(Namespace.class).size(), r + " renders one Namespace");
        });
  }

  @TestFactory
  Stream<DynamicTest> everyNamespacedObjectIsInTheRenderedNamespace() {
    return Overlays.each(
        r -> {
          String ns = r.all(Namespace.class).get(0).getMetadata().getName();
          for (Manifest m : r.manifests()) {
            if (!(m.object() instanceof Namespace)) {
              assertEquals(ns, m.metadata().getNamespace(), m + " is outside namespace " + ns);
            }
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> noTwoObjectsShareKindAndName() {
    return Overlays.each(
        r -> {
          List<String> ids = r.manifests().stream().map(m -> m.kind() + "/" + m.name()).toList();
          assertEquals(ids.size(), ids.stream().distinct().count(), r + ": " + ids);
        });
  }

  /** Every object carries the label that finds all of Canopy's objects in a cluster. */
  @TestFactory
  Stream<DynamicTest> everyObjectIsLabelledPartOfCanopy() {
    return Overlays.each(
        r ->
            r.manifests()
                .forEach(
                    m ->
                        assertEquals(
                            "canopy",
                            m.metadata().getLabels() == null
                                ? null
                                : m.metadata().getLabels().get("app.kubernetes.io/part-of"),
                            m + " lacks app.kubernetes.io/part-of: canopy")));
  }
}
