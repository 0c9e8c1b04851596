/**
 * Tests of the Kubernetes manifests in {@code k8s/}: every overlay is rendered with the real {@code
 * kubectl kustomize}, read strictly into the Kubernetes object model (fabric8) so that a misspelt
 * field fails, and checked against the deployment's rules: pinned images, resources, non-root
 * read-only pods, probes on the Quarkus health endpoints, NetworkPolicies that allow only what each
 * component needs, an Ingress that exposes no management endpoint.
 */
package org.canopymesh.deploy.k8s;
