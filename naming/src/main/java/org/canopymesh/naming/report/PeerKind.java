package org.canopymesh.naming.report;

import java.util.Locale;

/** How a peering is made (DESIGN.md "Topology, islands, live links"). */
public enum PeerKind {
  /** Link-local, LAN-range or multicast-discovered: radio or cable between neighbours. */
  LOCAL,
  /** Anything else: a peering across the Internet. */
  OVERLAY;

  /** The word in a report line. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  static PeerKind ofWord(String word) {
    for (PeerKind k : values()) {
      if (k.word().equals(word)) {
        return k;
      }
    }
    return null;
  }
}
