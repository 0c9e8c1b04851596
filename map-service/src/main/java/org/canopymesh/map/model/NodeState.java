package org.canopymesh.map.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How recently a node was seen: online (in the last crawl or a fresh report), offline (not seen for
 * {@code offline-after}), lost (not seen for {@code lost-after}).
 */
public enum NodeState {
  ONLINE,
  OFFLINE,
  LOST;

  /** The lower-case name used in JSON and events. */
  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
