package org.canopymesh.map.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Whether a link works: live (a fresh report or the last crawl shows it), stale (not confirmed for
 * two report intervals), down (reported down).
 */
public enum LinkStatus {
  LIVE,
  STALE,
  DOWN;

  /** The lower-case name used in JSON and events. */
  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
