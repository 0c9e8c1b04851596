package org.canopymesh.deploy.k8s;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a render's Ingresses send a request path, by the Ingress API's rules: Prefix matches whole
 * path elements ({@code /api/v1/log} matches {@code /api/v1/log/entries}, not {@code
 * /api/v1/logs}), the longest matching path wins, and Exact wins over Prefix at equal length.
 */
final class IngressRoutes {
  /** One path of one rule, with the Ingress it belongs to. */
  record Route(
      Ingress ingress, String host, String path, String pathType, String service, String port) {}

  private final List<Route> routes;

  IngressRoutes(Rendered r) {
    List<Route> found = new ArrayList<>();
    for (Ingress ing : r.all(Ingress.class)) {
      for (IngressRule rule : ing.getSpec().getRules()) {
        for (HTTPIngressPath p : rule.getHttp().getPaths()) {
          var svc = p.getBackend().getService();
          String port =
              svc.getPort().getName() != null
                  ? svc.getPort().getName()
                  : String.valueOf(svc.getPort().getNumber());
          found.add(
              new Route(ing, rule.getHost(), p.getPath(), p.getPathType(), svc.getName(), port));
        }
      }
    }
    this.routes = List.copyOf(found);
  }

  List<Route> all() {
    return routes;
  }

  Optional<Route> route(String requestPath) {
    return routes.stream()
        .filter(r -> matches(r, requestPath))
        .max(
            Comparator.comparingInt((Route r) -> r.path().length())
                .thenComparing(r -> r.pathType().equals("Exact")));
  }

  private static boolean matches(Route r, String path) {
    return switch (r.pathType()) {
      case "Exact" -> r.path().equals(path);
      case "Prefix" -> isElementPrefix(elements(r.path()), elements(path));
      default ->
          throw new IllegalArgumentException(
              "pathType " + r.pathType() + " is implementation-specific; use Exact or Prefix");
    };
  }

  private static boolean isElementPrefix(List<String> prefix, List<String> path) {
    return prefix.size() <= path.size() && path.subList(0, prefix.size()).equals(prefix);
  }

  private static List<String> elements(String path) {
    return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
  }
}
