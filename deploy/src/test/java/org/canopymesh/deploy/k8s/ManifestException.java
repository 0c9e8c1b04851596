package org.canopymesh.deploy.k8s;

/** A rendered document that is not a valid object of a known kind. */
final class ManifestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ManifestException(String message) {
    super(message);
  }

  ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
