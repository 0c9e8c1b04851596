package org.canopymesh.deploy.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The pod a workload runs: its owner (for messages), its labels, its spec, and the volumes a
 * StatefulSet adds from its claim templates.
 */
record PodTemplate(String owner, Map<String, String> labels, PodSpec spec, Set<String> claims) {
  static List<PodTemplate> of(Rendered r) {
    List<PodTemplate> out = new ArrayList<>();
    for (Deployment d : r.all(Deployment.class)) {
      out.add(of("Deployment " + d.getMetadata().getName(), d.getSpec().getTemplate(), Set.of()));
    }
    for (StatefulSet s : r.all(StatefulSet.class)) {
      Set<String> claims =
          s.getSpec().getVolumeClaimTemplates().stream()
              .map(c -> c.getMetadata().getName())
              .collect(Collectors.toSet());
      out.add(of("StatefulSet " + s.getMetadata().getName(), s.getSpec().getTemplate(), claims));
    }
    return out;
  }

  private static PodTemplate of(String owner, PodTemplateSpec t, Set<String> claims) {
    return new PodTemplate(owner, t.getMetadata().getLabels(), t.getSpec(), claims);
  }

  /** Init containers (sidecars among them) and containers. */
  List<Container> allContainers() {
    return Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream()).toList();
  }

  /** Canopy's own service containers in this pod (the crawler, the map service). */
  List<Container> serviceContainers() {
    return spec.getContainers().stream().filter(ServiceContainers::isService).toList();
  }

  /** The name a container is known by in messages. */
  String describe(Container c) {
    return owner + " container " + c.getName();
  }
}
