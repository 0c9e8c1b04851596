package org.canopymesh.crawler.crawl;

/**
 * An undirected peering between two nodes, held in key order so each link has one form.
 *
 * @param a the smaller key
 * @param b the larger key
 */
public record Link(String a, String b) {
  public Link {
    if (a.compareTo(b) >= 0) {
      throw new IllegalArgumentException("a link joins two different keys, smaller first");
    }
  }

  public static Link of(String x, String y) {
    return x.compareTo(y) < 0 ? new Link(x, y) : new Link(y, x);
  }
}
