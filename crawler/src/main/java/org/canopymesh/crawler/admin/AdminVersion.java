package org.canopymesh.crawler.admin;

/** The two admin API dialects Canopy speaks, told apart by the shape of {@code getSelf}. */
public enum AdminVersion {
  /** 0.4.x: {@code getDHT}, replies keyed by IPv6 address. */
  V0_4,
  /** 0.5.x: {@code getTree}, replies keyed by public key, new {@code getPeers} fields. */
  V0_5;
}
