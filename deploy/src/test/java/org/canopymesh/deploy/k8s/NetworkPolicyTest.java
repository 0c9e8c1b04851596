package org.canopymesh.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Each component may talk to what it needs and to nothing else, in every overlay. */
class NetworkPolicyTest {
  private static final String CRAWLER = "canopy-crawler";
  private static final String MAP = "canopy-map-service";
  private static final String CRAWLER_DB = "canopy-crawler-db";
  private static final String MAP_DB = "canopy-map-db";

  private static final Endpoint.Pod INGRESS_CONTROLLER =
      Endpoint.Pod.in("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"));
  private static final Endpoint.Pod KUBE_DNS =
      Endpoint.Pod.in("kube-system", Map.of("k8s-app", "kube-dns"));
  private static final Endpoint.Pod OTHER_NAMESPACE =
      Endpoint.Pod.in("default", Map.of("app.kubernetes.io/name", CRAWLER));

  private static Stream<DynamicTest> each(Consumer<NetworkModel> check) {
    return Overlays.each(r -> check.accept(new NetworkModel(r)));
  }

  @TestFactory
  Stream<DynamicTest> theNamespaceDeniesEverythingByDefault() {
    return each(
        net -> {
          boolean denyAll =
              net.policies().stream()
                  .anyMatch(
                      np ->
                          !Selectors.isSpecific(np.getSpec().getPodSelector())
                              && np.getSpec()
                                  .getPolicyTypes()
                                  .containsAll(List.of("Ingress", "Egress"))
                              && np.getSpec().getIngress().isEmpty()
                              && np.getSpec().getEgress().isEmpty());
          assertTrue(denyAll, "no default-deny policy");
        });
  }

  /** Beyond the namespace-wide ones, a policy of its own says what each pod may do. */
  @TestFactory
  Stream<DynamicTest> networkPoliciesSelectEveryPod() {
    return each(
        net -> {
          for (Endpoint.Pod pod : net.pods()) {
            for (String type : new String[] {"Ingress", "Egress"}) {
              boolean own =
                  net.selecting(pod, type).stream()
                      .map(NetworkPolicy::getSpec)
                      .anyMatch(s -> Selectors.isSpecific(s.getPodSelector()));
              assertTrue(own, "no " + type + " policy of its own selects " + pod.labels());
            }
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> everyPodResolvesNamesThroughTheClusterDns() {
    return each(
        net -> {
          for (Endpoint.Pod pod : net.pods()) {
            assertTrue(net.allows(pod, KUBE_DNS, "UDP", 53), pod.labels() + " DNS over UDP");
            assertTrue(net.allows(pod, KUBE_DNS, "TCP", 53), pod.labels() + " DNS over TCP");
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> theMapReachesTheCrawler() {
    return each(net -> assertTrue(net.allows(net.pod(MAP), net.pod(CRAWLER), "TCP", 8081)));
  }

  @TestFactory
  Stream<DynamicTest> eachServiceReachesItsOwnDatabaseOnly() {
    return each(
        net -> {
          assertTrue(net.allows(net.pod(CRAWLER), net.pod(CRAWLER_DB), "TCP", 5432));
          assertTrue(net.allows(net.pod(MAP), net.pod(MAP_DB), "TCP", 5432));
          assertFalse(net.allows(net.pod(CRAWLER), net.pod(MAP_DB), "TCP", 5432));
          assertFalse(net.allows(net.pod(MAP), net.pod(CRAWLER_DB), "TCP", 5432));
        });
  }

  @TestFactory
  Stream<DynamicTest> theIngressControllerReachesTheServicesButNotTheDatabases() {
    return each(
        net -> {
          assertTrue(net.allows(INGRESS_CONTROLLER, net.pod(MAP), "TCP", 8080));
          assertTrue(net.allows(INGRESS_CONTROLLER, net.pod(CRAWLER), "TCP", 8081));
          assertFalse(net.allows(INGRESS_CONTROLLER, net.pod(CRAWLER_DB), "TCP", 5432));
          assertFalse(net.allows(INGRESS_CONTROLLER, net.pod(MAP_DB), "TCP", 5432));
        });
  }

  @TestFactory
  Stream<DynamicTest> theCrawlerAcceptsOnlyTheMapAndTheIngressController() {
    return each(
        net -> {
          assertFalse(net.allows(OTHER_NAMESPACE, net.pod(CRAWLER), "TCP", 8081));
          assertFalse(net.allows(net.pod(CRAWLER_DB), net.pod(CRAWLER), "TCP", 8081));
          // The sidecar's admin API is for the crawler beside it only.
          assertFalse(net.allows(net.pod(MAP), net.pod(CRAWLER), "TCP", 9001));
        });
  }

  @TestFactory
  Stream<DynamicTest> theCrawlerDialsPeersOnTheInternetButNoPrivateAddress() {
    return each(
        net -> {
          Endpoint.Pod crawler = net.pod(CRAWLER);
          assertTrue(net.allows(crawler, new Endpoint.External("192.0.2.10"), "TCP", 443));
          assertTrue(net.allows(crawler, new Endpoint.External("198.51.100.7"), "UDP", 9443));
          assertTrue(net.allows(crawler, new Endpoint.External("2001:db8::10"), "TCP", 12345));
          for (String a :
              new String[] {
                "10.0.0.5", "172.20.1.1", "192.168.1.1", "169.254.169.254", "fd00::1"
              }) {
            assertFalse(net.allows(crawler, new Endpoint.External(a), "TCP", 443), a);
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> theMapAndTheDatabasesHaveNoInternetAccess() {
    return each(
        net -> {
          Endpoint.External internet = new Endpoint.External("192.0.2.10");
          assertFalse(net.allows(net.pod(MAP), internet, "TCP", 80));
          assertFalse(net.allows(net.pod(MAP), internet, "TCP", 8081));
          assertFalse(net.allows(net.pod(CRAWLER_DB), internet, "TCP", 5432));
        });
  }
}
