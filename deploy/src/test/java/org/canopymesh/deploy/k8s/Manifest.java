package org.canopymesh.deploy.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * One rendered object, read strictly: its kind must be one of {@link Kinds}, every field must be
 * known to the model, and every value must have the model's type.
 */
record Manifest(String source, JsonNode json, Object object) {
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  /** Reads {@code json}; {@code source} names where it came from in messages. */
  static Manifest read(String source, JsonNode json) {
    String apiVersion = json.path("apiVersion").asText("");
    String kind = json.path("kind").asText("");
    String name = json.path("metadata").path("name").asText("?");
    String id = source + ": " + kind + " " + name;
    Class<?> type =
        Kinds.of(apiVersion, kind)
            .orElseThrow(
                () ->
                    new ManifestException(
                        id + ": unknown kind " + apiVersion + "/" + kind + " (see Kinds)"));
    Object object;
    try {
      object = STRICT.treeToValue(json, type);
    } catch (Exception e) {
      throw new ManifestException(id + ": " + e.getMessage(), e);
    }
    List<String> unknown = UnknownFields.in(object);
    if (!unknown.isEmpty()) {
      throw new ManifestException(id + ": unknown field(s) " + String.join(", ", unknown));
    }
    return new Manifest(source, json, object);
  }

  String kind() {
    return json.path("kind").asText();
  }

  ObjectMeta metadata() {
    if (object instanceof HasMetadata h) {
      return h.getMetadata();
    }
    return ((CnpgCluster) object).metadata();
  }

  String name() {
    return metadata().getName();
  }

  /** The object as its model class; fails the test when it is another kind. */
  <T> T as(Class<T> type) {
    return type.cast(object);
  }

  boolean is(Class<?> type) {
    return type.isInstance(object);
  }

  @Override
  public String toString() {
    return source + ": " + kind() + " " + name();
  }
}
