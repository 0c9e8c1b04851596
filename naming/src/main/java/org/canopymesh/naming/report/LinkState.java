package org.canopymesh.naming.report;

import java.util.Locale;

/** Whether a reported peering is connected. */
public enum LinkState {
  UP,
  /** The node knew the peering and it is gone: the map shows the link as down, not stale. */
  DOWN;

  /** The word in a report line. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  static LinkState ofWord(String word) {
    for (LinkState s : values()) {
      if (s.word().equals(word)) {
        return s;
      }
    }
    return null;
  }
}
