package org.canopymesh.map.model;

/**
 * An undirected link between two node keys, held in key order so each link has one form.
 *
 * @param a the smaller key
 * @param b the larger key
 */
public record LinkId(String a, String b) {
  public LinkId {
    if (a.compareTo(b) >= 0) {
      throw new IllegalArgumentException("a link joins two different keys, smaller first");
    }
  }

  /** The link between two different keys, in either order. */
  public static LinkId of(String x, String y) {
    return x.compareTo(y) < 0 ? new LinkId(x, y) : new LinkId(y, x);
  }

  /** The key at the other end from {@code key}. */
  public String other(String key) {
    return key.equals(a) ? b : a;
  }
}
