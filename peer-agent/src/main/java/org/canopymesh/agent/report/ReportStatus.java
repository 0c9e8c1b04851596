package org.canopymesh.agent.report;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code canopy-agent status} shows of the neighbour reports.
 *
 * @param lastReportTime when the last report was made
 * @param lastSeq its {@code seq}
 * @param warnings what the last look at the node could not see (a missing tool, a stopped node)
 * @param destinations each map service reports go to
 */
public record ReportStatus(
    Optional<Instant> lastReportTime,
    OptionalLong lastSeq,
    List<String> warnings,
    List<Destination> destinations) {

  public ReportStatus {
    warnings = List.copyOf(warnings);
    destinations = List.copyOf(destinations);
  }

  /**
   * One map service.
   *
   * @param url its base URL, as configured in {@code reportTo}
   * @param queued reports waiting to be delivered
   * @param lastDelivery when a report was last accepted
   * @param lastError the last failure or refusal, with when it happened
   * @param nextRetry when a failed delivery is tried again, if one is waiting
   * @param delivered reports accepted since the agent started
   * @param refused reports the service refused for good (400, 403, 413) and that were dropped
   * @param dropped old reports dropped because the queue was full
   */
  public record Destination(
      URI url,
      int queued,
      Optional<Instant> lastDelivery,
      Optional<String> lastError,
      Optional<Instant> nextRetry,
      long delivered,
      long refused,
      long dropped) {}
}
