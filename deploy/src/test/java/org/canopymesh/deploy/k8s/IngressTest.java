package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The public entry: what goes to the map, what to the crawler, and what stays inside. */
class IngressTest {
  private static final String MAP = "canopy-map-service";
  private static final String CRAWLER = "canopy-crawler";

  private static final List<String> MAP_PATHS =
      List.of(
          "/",
          "/webjars/leaflet/1.9.4/dist/leaflet.js",
          "/api/v1/map",
          "/api/v1/graph",
          "/api/v1/islands",
          "/api/v1/stats",
          "/api/v1/settings",
          "/api/v1/nodes",
          "/api/v1/nodes/200:fda:2e56:d83e:ead2:aca6:1cf1:95f6",
          "/api/v1/reports",
          "/api/v1/events");

  /** What agents and other mirrors use (crawler/README.md, "HTTP API"). */
  private static final List<String> CRAWLER_PATHS =
      List.of(
          "/api/v1/topology",
          "/api/v1/records",
          "/api/v1/names/wiki.mesh.alt",
          "/api/v1/log/checkpoint",
          "/api/v1/log/entries",
          "/api/v1/log/proof/inclusion",
          "/api/v1/log/proof/consistency",
          "/api/v1/mirror",
          "/api/v1/witness/add-checkpoint");

  /** Health, metrics and OpenAPI of Quarkus, and the crawler's crawl control. */
  private static final List<String> INSIDE_ONLY =
      List.of(
          "/q/health",
          "/q/health/live",
          "/q/metrics",
          "/q/openapi",
          "/q/swagger-ui",
          "/api/v1/crawls",
          "/api/v1/crawls/1",
          "/api/v1/logs",
          "/index.html.bak");

  private static Stream<DynamicTest> each(Consumer<IngressRoutes> check) {
    return Overlays.each(r -> check.accept(new IngressRoutes(r)));
  }

  private static void assertRoutedTo(IngressRoutes routes, String path, String service) {
    Optional<IngressRoutes.Route> route = routes.route(path);
    assertTrue(route.isPresent(), path + " is not routed");
    assertEquals(service, route.get().service(), path);
  }

  @TestFactory
  Stream<DynamicTest> thePageAndTheMapApiGoToTheMapService() {
    return each(
        routes -> {
          MAP_PATHS.forEach(p -> assertRoutedTo(routes, p, MAP));
          webFiles().forEach(p -> assertRoutedTo(routes, p, MAP));
        });
  }

  /** Every file of web/ is served; a new one needs its route, and this test says so. */
  private static List<String> webFiles() {
    Path dir = Repository.root().resolve("web/src/main/resources/META-INF/resources");
    try (Stream<Path> files = Files.walk(dir)) {
      List<String> found =
          files
              .filter(Files::isRegularFile)
              .map(f -> "/" + dir.relativize(f).toString().replace('\\', '/'))
              .toList();
      assertTrue(found.contains("/index.html"), "web/ has no index.html: " + found);
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> theMirrorAndTopologyApiGoToTheCrawler() {
    return each(routes -> CRAWLER_PATHS.forEach(p -> assertRoutedTo(routes, p, CRAWLER)));
  }

  @TestFactory
  Stream<DynamicTest> quarkusManagementAndCrawlControlAreNotExposed() {
    return each(
        routes -> {
          for (String p : INSIDE_ONLY) {
            assertEquals(Optional.empty(), routes.route(p).map(IngressRoutes.Route::service), p);
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> theEventStreamIsNotBufferedAndMayStayOpen() {
    return each(
        routes -> {
          Map<String, String> a =
              routes.route("/api/v1/events").orElseThrow().ingress().getMetadata().getAnnotations();
          assertEquals("off", a.get("nginx.ingress.kubernetes.io/proxy-buffering"));
          assertTrue(
              Integer.parseInt(
                      a.getOrDefault("nginx.ingress.kubernetes.io/proxy-read-timeout", "60"))
                  >= 3600,
              "proxy-read-timeout " + a);
        });
  }

  @TestFactory
  Stream<DynamicTest> everyRouteIsOnOneHostAndNamesAServicePort() {
    return Overlays.each(
        r -> {
          IngressRoutes routes = new IngressRoutes(r);
          assertEquals(
              1,
              routes.all().stream().map(IngressRoutes.Route::host).distinct().count(),
              "hosts of " + r);
          for (IngressRoutes.Route route : routes.all()) {
            Service svc = r.get(Service.class, route.service());
            assertTrue(
                svc.getSpec().getPorts().stream()
                    .anyMatch(
                        p ->
                            route.port().equals(p.getName())
                                || route.port().equals(String.valueOf(p.getPort()))),
                route.path() + " names port " + route.port() + " of " + route.service());
          }
        });
  }
}
