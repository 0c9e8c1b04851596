package org.canopymesh.map.model;

import java.time.Instant;
import org.canopymesh.naming.report.ReportNote;

/** A verified report and when this service accepted it. */
public record ReceivedReport(ReportNote report, Instant receivedAt) {
  public String key() {
    return report.key().toHex();
  }
}
