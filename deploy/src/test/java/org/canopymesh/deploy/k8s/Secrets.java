package org.canopymesh.deploy.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.Set;
import java.util.TreeSet;

/** The Secrets a render refers to: in pod volumes, env, envFrom, and Ingress TLS. */
final class Secrets {
  private Secrets() {}

  static Set<String> referenced(Rendered r) {
    Set<String> names = new TreeSet<>();
    for (PodTemplate p : r.podTemplates()) {
      for (Volume v : p.spec().getVolumes()) {
        if (v.getSecret() != null) {
          names.add(v.getSecret().getSecretName());
        }
      }
      for (Container c : p.allContainers()) {
        for (EnvVar e : c.getEnv()) {
          if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
            names.add(e.getValueFrom().getSecretKeyRef().getName());
          }
        }
        for (EnvFromSource e : c.getEnvFrom()) {
          if (e.getSecretRef() != null) {
            names.add(e.getSecretRef().getName());
          }
        }
      }
    }
    for (Ingress ing : r.all(Ingress.class)) {
      for (IngressTLS tls : ing.getSpec().getTls()) {
        names.add(tls.getSecretName());
      }
    }
    return names;
  }
}
