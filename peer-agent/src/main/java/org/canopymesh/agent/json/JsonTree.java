package org.canopymesh.agent.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON read into plain values ({@code Map<String,Object>} in document order, {@code List<Object>},
 * {@code String}, {@code Long}/{@code Double}, {@code Boolean}, {@code null}) and written back.
 * Everything the agent reads is small (configs, mirror answers, status), so a tree is simpler than
 * data binding and pulls in no reflection. Input is bounded in depth, string length and size by the
 * caller's {@link Limits}; {@code //} and {@code #} comments are allowed so that a config can
 * explain itself.
 */
public final class JsonTree {
  /** Bounds on a document; anything bigger is refused before it is built. */
  public record Limits(int maxBytes, int maxDepth, int maxStringLength) {
    public static final Limits CONFIG = new Limits(1 << 20, 16, 64 << 10);
  }

  private JsonTree() {}

  /** Parses {@code json}; {@link JsonException} says where it is malformed. */
  public static Object parse(byte[] json, Limits limits) {
    if (json.length > limits.maxBytes()) {
      throw new JsonException("document of " + json.length + " bytes is over " + limits.maxBytes());
    }
    JsonFactory f =
        new JsonFactoryBuilder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxDepth())
                    .maxStringLength(limits.maxStringLength())
                    .maxNumberLength(40)
                    .build())
            .build();
    try (JsonParser p = f.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new JsonException("the document is empty");
      }
      Object value = read(p, first);
      if (p.nextToken() != null) {
        throw new JsonException("unexpected data after the value at " + where(p));
      }
      return value;
    } catch (IOException e) {
      throw new JsonException(firstLine(e.getMessage()));
    }
  }

  private static Object read(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          if (map.containsKey(name)) {
            throw new JsonException("\"" + name + "\" appears twice at " + where(p));
          }
          map.put(name, read(p, p.nextToken()));
        }
        return map;
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
          list.add(read(p, v));
        }
        return list;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new JsonException("unexpected " + t + " at " + where(p));
    }
  }

  private static String where(JsonParser p) {
    var loc = p.currentTokenLocation();
    return "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "malformed JSON";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Writes plain values (maps, lists, strings, numbers, booleans, null) as compact JSON. */
  public static String write(Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Iterable<?> it) {
      g.writeStartArray();
      for (Object o : it) {
        write(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer || v instanceof Long) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else {
      g.writeString(v.toString());
    }
  }
}
