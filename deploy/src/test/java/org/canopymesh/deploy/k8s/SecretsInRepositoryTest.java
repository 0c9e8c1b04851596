package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Keys and passwords are created in the cluster (k8s/README.md), never kept in the repository. */
class SecretsInRepositoryTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void noSecretIsCommitted() throws IOException {
    List<String> found = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Repository.k8s())) {
      files = walk.filter(f -> f.toString().matches(".*\\.ya?ml")).toList();
    }
    assertTrue(files.size() > 5, "found only " + files);
    for (Path f : files) {
      try (var parser = YAML.getFactory().createParser(f.toFile())) {
        var docs = YAML.readValues(parser, JsonNode.class);
        while (docs.hasNextValue()) {
          JsonNode doc = docs.nextValue();
          if (doc != null
              && "Secret".equals(doc.path("kind").asText())
              && (doc.has("data") || doc.has("stringData"))) {
            found.add(Repository.root().relativize(f).toString());
          }
        }
      }
    }
    assertEquals(List.of(), found, "Secrets with data in the repository");
  }

  @Test
  void noKustomizationGeneratesASecret() throws IOException {
    try (Stream<Path> walk = Files.walk(Repository.k8s())) {
      for (Path f :
          walk.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
        assertTrue(!Files.readString(f).contains("secretGenerator"), f + " generates a Secret");
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> noOverlayRendersASecret() {
    return Overlays.each(r -> assertEquals(List.of(), r.all(Secret.class), r.toString()));
  }
}
