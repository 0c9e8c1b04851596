package org.canopymesh.deploy.k8s;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which connections a render's NetworkPolicies allow, by the rules of the Kubernetes API: a pod
 * selected by no policy of a direction is open in that direction; a selected pod allows only what
 * one of its policies' rules names. A connection needs the sender's egress and the receiver's
 * ingress. Policies of other namespaces are not modelled (only this render's). Ports are numeric
 * here: a named port fails loudly rather than being guessed.
 */
final class NetworkModel {
  private final String namespace;
  private final Map<String, String> namespaceLabels;
  private final List<NetworkPolicy> policies;
  private final List<Endpoint.Pod> pods;

  NetworkModel(Rendered r) {
    Namespace ns = r.all(Namespace.class).get(0);
    this.namespace = ns.getMetadata().getName();
    Map<String, String> labels = new HashMap<>();
    if (ns.getMetadata().getLabels() != null) {
      labels.putAll(ns.getMetadata().getLabels());
    }
    labels.put("kubernetes.io/metadata.name", namespace);
    this.namespaceLabels = Map.copyOf(labels);
    this.policies = r.all(NetworkPolicy.class);
    List<Endpoint.Pod> found = new ArrayList<>();
    for (PodTemplate p : r.podTemplates()) {
      found.add(new Endpoint.Pod(namespace, namespaceLabels, p.labels()));
    }
    for (CnpgCluster c : r.all(CnpgCluster.class)) {
      found.add(new Endpoint.Pod(namespace, namespaceLabels, c.podLabels()));
    }
    this.pods = List.copyOf(found);
  }

  /** The pods of this render: one per workload (replicas are alike). */
  List<Endpoint.Pod> pods() {
    return pods;
  }

  List<NetworkPolicy> policies() {
    return policies;
  }

  /** The render's pod with this {@code app.kubernetes.io/name}. */
  Endpoint.Pod pod(String name) {
    return pods.stream()
        .filter(p -> name.equals(p.labels().get("app.kubernetes.io/name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no pod app.kubernetes.io/name=" + name));
  }

  boolean allows(Endpoint from, Endpoint to, String protocol, int port) {
    return egressAllows(from, to, protocol, port) && ingressAllows(from, to, protocol, port);
  }

  private boolean local(Endpoint e) {
    return e instanceof Endpoint.Pod p && p.namespace().equals(namespace);
  }

  private boolean egressAllows(Endpoint from, Endpoint to, String protocol, int port) {
    if (!local(from)) {
      return true; // another namespace's policies: not this render's business
    }
    List<NetworkPolicy> selecting = selecting((Endpoint.Pod) from, "Egress");
    return selecting.isEmpty()
        || selecting.stream()
            .flatMap(np -> np.getSpec().getEgress().stream())
            .anyMatch(rule -> peers(rule.getTo(), to) && ports(rule.getPorts(), protocol, port));
  }

  private boolean ingressAllows(Endpoint from, Endpoint to, String protocol, int port) {
    if (!local(to)) {
      return true; // outside the cluster or another namespace
    }
    List<NetworkPolicy> selecting = selecting((Endpoint.Pod) to, "Ingress");
    return selecting.isEmpty()
        || selecting.stream()
            .flatMap(np -> np.getSpec().getIngress().stream())
            .anyMatch(
                rule -> peers(rule.getFrom(), from) && ports(rule.getPorts(), protocol, port));
  }

  /** The policies that select the pod for a direction. */
  List<NetworkPolicy> selecting(Endpoint.Pod pod, String policyType) {
    return policies.stream()
        .filter(np -> Selectors.matches(np.getSpec().getPodSelector(), pod.labels()))
        .filter(np -> types(np).contains(policyType))
        .toList();
  }

  /** policyTypes, defaulted as the API server does when they are left out. */
  private static List<String> types(NetworkPolicy np) {
    List<String> t = np.getSpec().getPolicyTypes();
    if (t != null && !t.isEmpty()) {
      return t;
    }
    return np.getSpec().getEgress().isEmpty() ? List.of("Ingress") : List.of("Ingress", "Egress");
  }

  private boolean peers(List<NetworkPolicyPeer> peers, Endpoint e) {
    return peers == null || peers.isEmpty() || peers.stream().anyMatch(p -> peer(p, e));
  }

  private boolean peer(NetworkPolicyPeer peer, Endpoint e) {
    if (peer.getIpBlock() != null) {
      return e instanceof Endpoint.External x && inBlock(peer.getIpBlock(), x.address());
    }
    if (!(e instanceof Endpoint.Pod pod)) {
      return false;
    }
    boolean namespaceOk =
        peer.getNamespaceSelector() == null
            ? pod.namespace().equals(namespace)
            : Selectors.matches(peer.getNamespaceSelector(), pod.namespaceLabels());
    boolean podOk =
        peer.getPodSelector() == null || Selectors.matches(peer.getPodSelector(), pod.labels());
    return namespaceOk && podOk;
  }

  private static boolean inBlock(IPBlock block, String address) {
    if (!Cidr.parse(block.getCidr()).contains(address)) {
      return false;
    }
    return block.getExcept() == null
        || block.getExcept().stream().noneMatch(ex -> Cidr.parse(ex).contains(address));
  }

  private static boolean ports(List<NetworkPolicyPort> ports, String protocol, int port) {
    return ports == null
        || ports.isEmpty()
        || ports.stream().anyMatch(p -> port(p, protocol, port));
  }

  private static boolean port(NetworkPolicyPort p, String protocol, int port) {
    String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
    if (!proto.equals(protocol)) {
      return false;
    }
    IntOrString n = p.getPort();
    if (n == null) {
      return true;
    }
    if (n.getIntVal() == null) {
      throw new IllegalArgumentException("named port " + n.getStrVal() + " is not modelled");
    }
    int end = p.getEndPort() == null ? n.getIntVal() : p.getEndPort();
    return port >= n.getIntVal() && port <= end;
  }
}
