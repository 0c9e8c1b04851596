package org.canopymesh.agent.report;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.canopymesh.naming.report.MacAddress;

/**
 * A row of {@code batctl originators}: one way to reach an originator, through one neighbour.
 *
 * @param originator the node's primary address
 * @param nexthop the neighbour the route goes through
 * @param iface our interface towards the neighbour, or empty when the output does not say
 * @param lastSeen time since the originator's last message
 * @param best whether this is the route in use ({@code *})
 * @param tq B.A.T.M.A.N. IV transmit quality 0..255 of this route
 * @param throughputMbps B.A.T.M.A.N. V path throughput of this route
 */
record BatmanOriginator(
    MacAddress originator,
    MacAddress nexthop,
    String iface,
    Duration lastSeen,
    boolean best,
    OptionalInt tq,
    OptionalDouble throughputMbps) {}
