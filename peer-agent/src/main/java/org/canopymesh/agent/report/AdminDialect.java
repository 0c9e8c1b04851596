package org.canopymesh.agent.report;

/**
 * The two admin API dialects, told apart by the shape of the replies (Debian's 0.4.7 reports its
 * version as "unknown").
 */
public enum AdminDialect {
  /** 0.4.x: tree coordinates in {@code getSelf} and {@code getPeers}, only connected peers. */
  V0_4,
  /** 0.5.x: {@code routing_entries}; {@code getPeers} adds up, inbound, latency and down peers. */
  V0_5
}
