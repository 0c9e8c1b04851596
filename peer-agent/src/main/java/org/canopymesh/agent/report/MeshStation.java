package org.canopymesh.agent.report;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.canopymesh.naming.report.MacAddress;

/**
 * A station of {@code iw dev IFACE station dump}, with the fields a report can use.
 *
 * @param mac the station's address
 * @param iface our interface
 * @param inactive time since the station was last heard ({@code inactive time})
 * @param signalDbm last signal in dBm
 * @param signalAvgDbm averaged signal in dBm
 * @param txMbps our last transmit bitrate to it
 * @param rxMbps the last bitrate we received from it at
 * @param expectedMbps the driver's expected throughput (minstrel), if it has one
 * @param plink the 802.11s peer link state, e.g. {@code ESTAB}; empty for a non-mesh station
 * @param airtimeMetric the 802.11s airtime link metric, lower is better
 */
record MeshStation(
    MacAddress mac,
    String iface,
    Optional<Duration> inactive,
    OptionalInt signalDbm,
    OptionalInt signalAvgDbm,
    OptionalDouble txMbps,
    OptionalDouble rxMbps,
    OptionalDouble expectedMbps,
    Optional<String> plink,
    OptionalInt airtimeMetric) {

  /** Whether the station is a link: an established mesh peer, or any station off a mesh. */
  boolean isLinked() {
    return plink.map("ESTAB"::equals).orElse(true);
  }
}
