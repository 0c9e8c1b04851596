package org.canopymesh.map.crawl;

import org.canopymesh.map.MapException;

/** A crawler's answer is not a usable topology. */
public final class TopologyException extends MapException {
  private static final long serialVersionUID = 1L;

  public TopologyException(String source, String problem) {
    super(source + ": " + problem);
  }
}
