package org.canopymesh.deploy.k8s;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.HashMap;
import java.util.Map;

/**
 * A CloudNativePG {@code Cluster} (postgresql.cnpg.io/v1), for which fabric8 has no model: the
 * fields k8s/ uses, as records read with unknown properties failing, so a misspelt field fails as
 * it does for the built-in kinds. Field names and types follow the CloudNativePG API reference,
 * https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/ (ClusterSpec,
 * BootstrapConfiguration, BootstrapInitDB, StorageConfiguration, AffinityConfiguration,
 * EmbeddedObjectMetadata). A field that k8s/ starts to use is added here with its documented type.
 */
record CnpgCluster(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
  record Spec(
      Integer instances,
      String imageName,
      String primaryUpdateStrategy,
      Bootstrap bootstrap,
      Storage storage,
      ResourceRequirements resources,
      Affinity affinity,
      InheritedMetadata inheritedMetadata) {}

  record Bootstrap(InitDb initdb) {}

  record InitDb(String database, String owner) {}

  record Storage(String size, String storageClass) {}

  record Affinity(Boolean enablePodAntiAffinity, String topologyKey) {}

  record InheritedMetadata(Map<String, String> labels, Map<String, String> annotations) {}

  /** The labels of the instance pods: the operator's own and the inherited ones. */
  Map<String, String> podLabels() {
    var labels = new HashMap<String, String>();
    if (spec.inheritedMetadata() != null && spec.inheritedMetadata().labels() != null) {
      labels.putAll(spec.inheritedMetadata().labels());
    }
    labels.put("cnpg.io/cluster", metadata.getName());
    return labels;
  }
}
