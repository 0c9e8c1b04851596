package org.canopymesh.agent.report;

import java.util.List;
import org.canopymesh.naming.report.L2Neighbour;
import org.canopymesh.naming.report.MacAddress;
import org.canopymesh.naming.report.PeerLink;

/**
 * What one look at the node found: the lines of the next report, in the order of importance (the
 * report keeps the first ones if it must drop some), and what could not be looked at.
 *
 * @param peers Yggdrasil peerings
 * @param neighbours batman-adv and 802.11s neighbours
 * @param macs addresses of this node's mesh interfaces
 * @param warnings one line each for every source that failed (a missing tool, a stopped node)
 */
public record Observation(
    List<PeerLink> peers,
    List<L2Neighbour> neighbours,
    List<MacAddress> macs,
    List<String> warnings) {
  public Observation {
    peers = List.copyOf(peers);
    neighbours = List.copyOf(neighbours);
    macs = List.copyOf(macs);
    warnings = List.copyOf(warnings);
  }
}
