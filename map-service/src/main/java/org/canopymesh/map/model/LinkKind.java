package org.canopymesh.map.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a link is made: local (radio or LAN: batman-adv, 802.11s, link-local or LAN peering) or
 * overlay (through the Internet).
 */
public enum LinkKind {
  LOCAL,
  OVERLAY;

  /** The lower-case name used in JSON and events. */
  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
