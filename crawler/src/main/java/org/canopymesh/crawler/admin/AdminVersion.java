package org.canopymesh.crawler.admin;

/** The two admin API dialects Canopy speaks, told apart by the shape of {@code getSelf}. */
public enum AdminVersion {
  /** 0.4.x: {@code getDHT}, tree coordinates in {@code getSelf} and {@code getPeers}. */
  V0_4,
  /**
   * 0.5.x: {@code getTree}, routing entries instead of coordinates, new {@code getPeers} fields.
   */
  V0_5;
}
