package org.canopymesh.naming.report;

/** The layer-2 mesh a neighbour was seen on. */
public enum L2Protocol {
  /** B.A.T.M.A.N. advanced ({@code batctl}). */
  BATMAN("batman"),
  /** IEEE 802.11s mesh stations ({@code iw station dump}). */
  IEEE80211S("80211s");

  private final String word;

  L2Protocol(String word) {
    this.word = word;
  }

  /** The word in a report line. */
  public String word() {
    return word;
  }

  static L2Protocol ofWord(String word) {
    for (L2Protocol p : values()) {
      if (p.word.equals(word)) {
        return p;
      }
    }
    return null;
  }
}
