package org.canopymesh.deploy.k8s;

import java.util.Optional;

/** A container image reference split as the runtime reads it: name, tag, digest. */
record ImageRef(String name, Optional<String> tag, Optional<String> digest) {
  static ImageRef parse(String image) {
    String rest = image;
    Optional<String> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    // A colon after the last slash starts the tag; one before it belongs to a registry port.
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      return new ImageRef(rest.substring(0, colon), Optional.of(rest.substring(colon + 1)), digest);
    }
    return new ImageRef(rest, Optional.empty(), digest);
  }

  /** Pinned: a digest, or a tag other than {@code latest}. */
  boolean pinned() {
    return digest.isPresent() || tag.filter(t -> !t.isEmpty() && !t.equals("latest")).isPresent();
  }

  /** The last path element of the name, e.g. {@code canopy-crawler}. */
  String shortName() {
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
