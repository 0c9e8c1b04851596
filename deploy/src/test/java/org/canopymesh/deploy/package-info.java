/** Tests of the deployment: Kubernetes manifests and the one-command launcher. */
package org.canopymesh.deploy;
