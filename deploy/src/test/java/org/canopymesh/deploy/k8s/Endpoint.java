package org.canopymesh.deploy.k8s;

import java.util.Map;

/** One end of a connection, as NetworkPolicies see it. */
sealed interface Endpoint {
  /** A pod: its namespace's name and labels, its own labels. */
  record Pod(String namespace, Map<String, String> namespaceLabels, Map<String, String> labels)
      implements Endpoint {
    /** A pod of another namespace, labelled as Kubernetes labels every namespace. */
    static Pod in(String namespace, Map<String, String> labels) {
      return new Pod(namespace, Map.of("kubernetes.io/metadata.name", namespace), labels);
    }
  }

  /** An address outside the cluster, e.g. a Yggdrasil peer on the Internet. */
  record External(String address) implements Endpoint {}
}
