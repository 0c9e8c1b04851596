package org.canopymesh.map.model;

import java.time.Instant;
import java.util.List;
import org.canopymesh.naming.report.PeerLink;
import org.canopymesh.naming.report.ReportNote;

/**
 * A verified report and when this service accepted it, with its keys in hex computed once: every
 * recomputation of the map reads them, and formatting 10,000 reports' peers each time showed in
 * profiles.
 *
 * @param key the reporting key in hex
 * @param peerKeys the key of each {@code peer} line in hex, in the order of {@code report.peers()}
 */
public record ReceivedReport(
    ReportNote report, Instant receivedAt, String key, List<String> peerKeys) {
  public ReceivedReport {
    peerKeys = List.copyOf(peerKeys);
  }

  public ReceivedReport(ReportNote report, Instant receivedAt) {
    this(
        report,
        receivedAt,
        report.key().toHex(),
        report.peers().stream().map(PeerLink::key).map(k -> k.toHex()).toList());
  }
}
