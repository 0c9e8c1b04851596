package org.canopymesh.map.view;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.canopymesh.map.model.Island;
import org.canopymesh.map.model.MapLink;
import org.canopymesh.map.model.MapNode;
import org.canopymesh.map.model.Point;
import org.canopymesh.map.model.Snapshot;

/**
 * A snapshot rendered once as GeoJSON and as the graph, gzipped, so that each request costs a copy
 * of bytes: 10,000 nodes are not serialised per request. Node and link features carry their keys in
 * properties only, with no feature id: 64 random hex digits compress badly, and writing them twice
 * cost a third of the gzipped size at 10,000 nodes.
 *
 * @param version the snapshot version, also the ETag
 */
public record Rendered(long version, byte[] mapGzip, byte[] graphGzip) {

  /**
   * Renders a snapshot.
   *
   * @param eventId the last event the snapshot reflects: a client that loads it and then asks the
   *     event stream for what came {@code after} this id misses nothing
   */
  public static Rendered of(Snapshot s, long eventId, ObjectMapper json) {
    return new Rendered(
        s.version(),
        gzip(out -> geoJson(s, eventId, out, json), Deflater.DEFAULT_COMPRESSION),
        gzip(out -> graph(s, eventId, out, json), Deflater.BEST_SPEED));
  }

  @FunctionalInterface
  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Gzips what {@code w} writes. The map, which every visitor loads first, gets the default level
   * (about 10 % smaller than the fastest); rendering runs off the event path, so the time is
   * affordable.
   */
  private static byte[] gzip(Writer w, int level) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try (OutputStream out =
        new GZIPOutputStream(bytes, 1 << 16) {
          {
            def.setLevel(level);
          }
        }) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void graph(Snapshot s, long eventId, OutputStream out, ObjectMapper json)
      throws IOException {
    json.writeValue(
        out,
        new Views.Graph(
            s.version(),
            eventId,
            s.nodes().stream().map(Views.NodeSummary::of).toList(),
            s.links().stream().map(Views.LinkView::of).toList(),
            s.islands().stream().map(Views.IslandRef::of).toList()));
  }

  private static void geoJson(Snapshot s, long eventId, OutputStream out, ObjectMapper json)
      throws IOException {
    JsonFactory f = json.getFactory();
    try (JsonGenerator g = f.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("type", "FeatureCollection");
      g.writeNumberField("version", s.version());
      g.writeNumberField("eventId", eventId);
      g.writeStringField("generatedAt", s.at().toString());
      g.writeArrayFieldStart("features");
      for (Island i : s.islands()) {
        if (i.centre() != null) {
          island(g, i);
        }
      }
      for (MapLink l : s.links()) {
        Point a = s.node(l.a()).map(MapNode::location).orElse(null);
        Point b = s.node(l.b()).map(MapNode::location).orElse(null);
        if (a != null && b != null) {
          link(g, l, a, b);
        }
      }
      for (MapNode n : s.nodes()) {
        if (n.location() != null) {
          node(g, n);
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void island(JsonGenerator g, Island i) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "Feature");
    g.writeStringField("id", "island:" + i.id());
    g.writeObjectFieldStart("geometry");
    g.writeStringField("type", "Polygon");
    g.writeArrayFieldStart("coordinates");
    g.writeStartArray();
    for (Point p : i.outline()) {
      position(g, p);
    }
    g.writeEndArray();
    g.writeEndArray();
    g.writeEndObject();
    g.writeObjectFieldStart("properties");
    g.writeStringField("feature", "island");
    g.writeStringField("id", i.id());
    g.writeStringField("name", i.name());
    g.writeBooleanField("declared", i.declared());
    g.writeNumberField("size", i.members().size());
    g.writeNumberField("online", i.online());
    g.writeFieldName("centre");
    position(g, i.centre());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void link(JsonGenerator g, MapLink l, Point a, Point b) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "Feature");
    g.writeObjectFieldStart("geometry");
    g.writeStringField("type", "LineString");
    g.writeArrayFieldStart("coordinates");
    position(g, a);
    position(g, b);
    g.writeEndArray();
    g.writeEndObject();
    g.writeObjectFieldStart("properties");
    g.writeStringField("feature", "link");
    g.writeStringField("a", l.a());
    g.writeStringField("b", l.b());
    g.writeStringField("kind", l.kind().label());
    g.writeStringField("state", l.status().label());
    nullableNumber(g, "quality", l.quality());
    nullableNumber(g, "latencyMs", l.latencyMs());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void node(JsonGenerator g, MapNode n) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "Feature");
    g.writeObjectFieldStart("geometry");
    g.writeStringField("type", "Point");
    g.writeFieldName("coordinates");
    position(g, n.location());
    g.writeEndObject();
    g.writeObjectFieldStart("properties");
    g.writeStringField("feature", "node");
    g.writeStringField("key", n.key());
    g.writeStringField("name", n.name());
    g.writeStringField("state", n.state().label());
    g.writeBooleanField("new", n.isNew());
    g.writeStringField("island", n.island());
    g.writeStringField("lastSeen", n.lastSeen().toString());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void position(JsonGenerator g, Point p) throws IOException {
    g.writeStartArray();
    g.writeNumber(round(p.lon()));
    g.writeNumber(round(p.lat()));
    g.writeEndArray();
  }

  /** Five decimals is about a metre: enough for a map, and it keeps the answer small. */
  private static double round(double degrees) {
    return Math.round(degrees * 1e5) / 1e5;
  }

  private static void nullableNumber(JsonGenerator g, String field, Double v) throws IOException {
    if (v == null) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, v);
    }
  }
}
