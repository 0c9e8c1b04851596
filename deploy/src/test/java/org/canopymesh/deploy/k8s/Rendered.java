package org.canopymesh.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What {@code kubectl kustomize} made of one directory: its objects, read strictly. */
record Rendered(Path dir, List<Manifest> manifests) {
  private static final Map<Path, Rendered> CACHE = new ConcurrentHashMap<>();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The render of {@code dir}, once per test run: kubectl is slow next to the checks. */
  static Rendered of(Path dir) {
    return CACHE.computeIfAbsent(dir, d -> parse(d, Kubectl.kustomize(d)));
  }

  /** Reads a YAML stream; a document that is not a valid object fails here. */
  static Rendered parse(Path dir, String yaml) {
    List<Manifest> out = new ArrayList<>();
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(yaml)) {
      var docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          out.add(Manifest.read(dir.getFileName().toString(), doc));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the render of " + dir, e);
    }
    return new Rendered(dir, List.copyOf(out));
  }

  String name() {
    return dir.getFileName().toString();
  }

  <T> List<T> all(Class<T> type) {
    return manifests.stream().filter(m -> m.is(type)).map(m -> m.as(type)).toList();
  }

  <T> Optional<T> find(Class<T> type, String name) {
    return manifests.stream()
        .filter(m -> m.is(type) && m.name().equals(name))
        .map(m -> m.as(type))
        .findFirst();
  }

  <T> T get(Class<T> type, String name) {
    return find(type, name)
        .orElseThrow(
            () -> new AssertionError(name() + " renders no " + type.getSimpleName() + " " + name));
  }

  /** The pods this render runs, from Deployments and StatefulSets. */
  List<PodTemplate> podTemplates() {
    return PodTemplate.of(this);
  }

  @Override
  public String toString() {
    return name();
  }
}
