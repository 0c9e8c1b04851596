package org.canopymesh.map.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.canopymesh.map.testing.MapProcess;

/**
 * {@code GET /api/v1/map} and {@code GET /api/v1/graph} as the page fetches them (gzip, then
 * revalidation with {@code If-None-Match}), sequentially on one keep-alive loopback connection, so
 * that a request's time is the service's time plus a loopback copy. The service's own mean, from
 * its {@code http_server_requests_seconds} metrics, is printed next to the client's percentiles.
 */
final class MapFetch {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the map holds, counted from one answer. */
  record Content(int nodes, int links, int islands, long version, String etag) {}

  private MapFetch() {}

  /** Fetches the map once and counts its features. */
  static Content content(MapProcess svc) throws IOException {
    try (LeanHttp http = new LeanHttp(svc.url())) {
      LeanHttp.Answer a = http.get("/api/v1/map", "Accept-Encoding", "gzip");
      if (a.status() != 200) {
        throw new IOException("GET /api/v1/map answered " + a.status() + ": " + a.text());
      }
      JsonNode map = JSON.readTree(gunzip(a.body()));
      int nodes = 0;
      int links = 0;
      int islands = 0;
      for (JsonNode f : map.path("features")) {
        switch (f.path("properties").path("feature").asText()) {
          case "node" -> nodes++;
          case "link" -> links++;
          case "island" -> islands++;
          default -> {}
        }
      }
      return new Content(nodes, links, islands, map.path("version").asLong(), a.header("ETag"));
    }
  }

  static void run(MapProcess svc, int requests, Results results) throws IOException {
    System.out.printf(
        Locale.ROOT,
        "%n-- GET /api/v1/map and /api/v1/graph (%,d timed requests each) --%n",
        requests);
    try (LeanHttp http = new LeanHttp(svc.url())) {
      // Warm-up: the JIT compiles the request path before anything is timed.
      for (int i = 0; i < Math.min(200, requests); i++) {
        http.get("/api/v1/map", "Accept-Encoding", "gzip");
        http.get("/api/v1/graph", "Accept-Encoding", "gzip");
      }
      LeanHttp.Answer first = http.get("/api/v1/map", "Accept-Encoding", "gzip");
      byte[] raw = gunzip(first.body());
      System.out.printf(
          Locale.ROOT,
          "map body: %s gzipped as served (Content-Encoding %s), %s raw; the same bytes at gzip"
              + " level 6: %s, level 9: %s%n",
          kb(first.body().length),
          first.header("Content-Encoding"),
          kb(raw.length),
          kb(gzipSize(raw, 6)),
          kb(gzipSize(raw, 9)));
      breakdown(raw);
      System.out.printf(
          Locale.ROOT,
          "  gzipping these raw bytes on one core of this client (best of 5): %.0f ms at level 1,"
              + " %.0f ms at level 6%n",
          gzipMillis(raw, 1),
          gzipMillis(raw, 6));
      // Kept for offline analysis of what the bytes are.
      Files.write(svc.dir().resolve("map.geojson"), raw);
      results.add(
          "map body gzipped (raw)",
          "< 1.5 MB gzipped",
          mb(first.body().length) + " (" + mb(raw.length) + " raw)",
          first.body().length < 1.5e6);

      Served before = Served.of(svc, "/api/v1/map", "200");
      Latencies full = time(http, requests, "/api/v1/map", null);
      Served full200 = Served.of(svc, "/api/v1/map", "200").minus(before);
      System.out.printf(
          Locale.ROOT,
          "GET /api/v1/map, gzip, 200: %s; service's own mean %s%n",
          full.summary(),
          Latencies.ms(full200.meanMs()));
      results.add(
          "GET /api/v1/map p50 / p99 (gzip, 200)",
          "p50 < 100 ms",
          Latencies.ms(full.p50())
              + " / "
              + Latencies.ms(full.p99())
              + " (service's mean "
              + Latencies.ms(full200.meanMs())
              + ")",
          full.p50() < 100);

      // Quarkus tags every 3xx with uri="REDIRECTION": here only these revalidations.
      Served before304 = Served.of(svc, "REDIRECTION", "304");
      int[] changed = new int[1];
      Latencies revalidated = timeRevalidation(http, requests, changed);
      Served served304 = Served.of(svc, "REDIRECTION", "304").minus(before304);
      System.out.printf(
          Locale.ROOT,
          "GET /api/v1/map, If-None-Match, 304: %s; service's own mean %s; %d answered 200 (a"
              + " new version meanwhile, not timed)%n",
          revalidated.summary(),
          Latencies.ms(served304.meanMs()),
          changed[0]);
      results.add(
          "GET /api/v1/map p50 / p99 (If-None-Match, 304)",
          "p50 < 100 ms",
          Latencies.ms(revalidated.p50()) + " / " + Latencies.ms(revalidated.p99()),
          revalidated.p50() < 100);

      int plainCount = Math.max(20, requests / 10);
      Latencies plain = time(http, plainCount, "/api/v1/map", "identity");
      System.out.printf(
          Locale.ROOT,
          "GET /api/v1/map without Accept-Encoding (gunzipped per request): %s%n",
          plain.summary());
      results.info(
          "GET /api/v1/map p50 / p99 (no gzip)",
          Latencies.ms(plain.p50()) + " / " + Latencies.ms(plain.p99()));

      LeanHttp.Answer g = http.get("/api/v1/graph", "Accept-Encoding", "gzip");
      int graphRaw = gunzip(g.body()).length;
      Latencies graph = time(http, requests, "/api/v1/graph", null);
      System.out.printf(
          Locale.ROOT,
          "GET /api/v1/graph, gzip, 200: %s; body %s gzipped, %s raw%n",
          graph.summary(),
          kb(g.body().length),
          kb(graphRaw));
      results.info(
          "GET /api/v1/graph p50 / p99 (gzip); body",
          Latencies.ms(graph.p50())
              + " / "
              + Latencies.ms(graph.p99())
              + "; "
              + mb(g.body().length)
              + " gzipped, "
              + mb(graphRaw)
              + " raw");
    }
  }

  /**
   * What the map's bytes are: each kind of feature gzipped on its own (as the service does, level
   * 1), and what dropping the features' {@code id} members (each repeats the keys its properties
   * hold) would save.
   */
  private static void breakdown(byte[] raw) throws IOException {
    JsonNode map = JSON.readTree(raw);
    Map<String, ArrayNode> byKind = new TreeMap<>();
    ArrayNode withoutIds = JSON.createArrayNode();
    for (JsonNode f : map.path("features")) {
      String kind = f.path("properties").path("feature").asText("?");
      byKind.computeIfAbsent(kind, k -> JSON.createArrayNode()).add(f);
      ObjectNode copy = ((ObjectNode) f).deepCopy();
      copy.remove("id");
      withoutIds.add(copy);
    }
    StringBuilder b = new StringBuilder("  by kind (gzipped alone, level 1):");
    byKind.forEach(
        (kind, features) -> {
          byte[] bytes = bytes(features);
          b.append(
              String.format(
                  Locale.ROOT,
                  " %,d %ss %s (%s raw);",
                  features.size(),
                  kind,
                  kb(gzipSize(bytes, 1)),
                  kb(bytes.length)));
        });
    byte[] lean = bytes(withoutIds);
    b.append(
        String.format(
            Locale.ROOT,
            " without the features' ids: %s at level 1, %s at level 6 (%s raw)",
            kb(gzipSize(lean, 1)),
            kb(gzipSize(lean, 6)),
            kb(lean.length)));
    System.out.println(b);
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code n} sequential GETs, gzip unless {@code encoding} says otherwise. */
  private static Latencies time(LeanHttp http, int n, String path, String encoding)
      throws IOException {
    Latencies l = new Latencies();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      LeanHttp.Answer a =
          encoding == null
              ? http.get(path, "Accept-Encoding", "gzip")
              : http.get(path, "Accept-Encoding", encoding);
      l.add((System.nanoTime() - t0) / 1e6);
      if (a.status() != 200) {
        throw new IOException("GET " + path + " answered " + a.status());
      }
    }
    return l;
  }

  /**
   * {@code n} revalidations with the current ETag. The map's version moves at every recompute (each
   * report, each freshness tick), so now and then the answer is a new map: that one is taken as the
   * new ETag and not timed.
   */
  private static Latencies timeRevalidation(LeanHttp http, int n, int[] changed)
      throws IOException {
    String etag = http.get("/api/v1/map", "Accept-Encoding", "gzip").header("ETag");
    Latencies l = new Latencies();
    while (l.count() < n) {
      long t0 = System.nanoTime();
      LeanHttp.Answer a = http.get("/api/v1/map", "Accept-Encoding", "gzip", "If-None-Match", etag);
      double ms = (System.nanoTime() - t0) / 1e6;
      if (a.status() == 304) {
        l.add(ms);
      } else if (a.status() == 200) {
        etag = a.header("ETag");
        changed[0]++;
      } else {
        throw new IOException("a revalidation answered " + a.status());
      }
    }
    return l;
  }

  /** The service's request count and time for one path and status, from its metrics. */
  record Served(double count, double seconds) {
    static Served of(MapProcess svc, String uri, String status) {
      return new Served(
          svc.metric(
              "http_server_requests_seconds_count",
              "uri=\"" + uri + "\"",
              "status=\"" + status + "\""),
          svc.metric(
              "http_server_requests_seconds_sum",
              "uri=\"" + uri + "\"",
              "status=\"" + status + "\""));
    }

    Served minus(Served b) {
      return new Served(
          count - (Double.isNaN(b.count) ? 0 : b.count),
          seconds - (Double.isNaN(b.seconds) ? 0 : b.seconds));
    }

    double meanMs() {
      return count > 0 ? seconds * 1000 / count : Double.NaN;
    }
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  /** The best of five gzips of {@code raw} at {@code level}, in milliseconds. */
  private static double gzipMillis(byte[] raw, int level) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      gzipSize(raw, level);
      best = Math.min(best, (System.nanoTime() - t0) / 1e6);
    }
    return best;
  }

  private static int gzipSize(byte[] raw, int level) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream out =
        new GZIPOutputStream(b) {
          {
            def.setLevel(level);
          }
        }) {
      out.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.size();
  }

  static String kb(long bytes) {
    return String.format(Locale.ROOT, "%,d KB", bytes / 1024);
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
  }
}
