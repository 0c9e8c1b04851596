package org.canopymesh.naming.record;

import java.util.Locale;

/** Transport protocols a service record may name; written in lower case. */
public enum Protocol {
  TCP,
  UDP;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The protocol for its exact lower-case label, or {@code null}. */
  static Protocol ofLabel(String label) {
    for (Protocol p : values()) {
      if (p.label().equals(label)) {
        return p;
      }
    }
    return null;
  }
}
