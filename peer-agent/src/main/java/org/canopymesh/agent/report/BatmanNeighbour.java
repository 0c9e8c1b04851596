package org.canopymesh.agent.report;

import java.time.Duration;
import java.util.OptionalDouble;
import org.canopymesh.naming.report.MacAddress;

/**
 * A row of {@code batctl neighbors}: a direct batman-adv neighbour.
 *
 * @param mac the neighbour's hard-interface address
 * @param iface our interface it was heard on
 * @param lastSeen time since its last packet
 * @param throughputMbps B.A.T.M.A.N. V's estimated link throughput; empty for B.A.T.M.A.N. IV
 */
record BatmanNeighbour(
    MacAddress mac, String iface, Duration lastSeen, OptionalDouble throughputMbps) {}
