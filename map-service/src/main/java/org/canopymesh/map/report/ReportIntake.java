package org.canopymesh.map.report;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.canopymesh.map.config.MapConfig;
import org.canopymesh.map.live.LiveMap;
import org.canopymesh.map.model.LinkId;
import org.canopymesh.map.model.ReceivedReport;
import org.canopymesh.map.replica.ReplicaAnnouncer;
import org.canopymesh.map.store.MapStore;
import org.canopymesh.naming.report.InvalidReportException;
import org.canopymesh.naming.report.L2Neighbour;
import org.canopymesh.naming.report.PeerLink;
import org.canopymesh.naming.report.ReportNote;
import org.canopymesh.naming.report.SignedReport;

/**
 * Admits agent reports. In order: size; note syntax, fields and bounds; the signature by the key
 * the report names, under the address derived from it (all by {@link SignedReport#parse}); age; the
 * key's rate; and, atomically with storing it, a {@code seq} above the last one stored.
 */
@ApplicationScoped
public class ReportIntake {
  @Inject MapConfig config;
  @Inject MapStore store;
  @Inject LiveMap live;
  @Inject KeyLimiter limiter;
  @Inject Clock clock;
  @Inject MeterRegistry metrics;
  @Inject ReplicaAnnouncer replicas;

  /** An accepted report. */
  public record Accepted(String key, long seq) {}

  /**
   * Checks, stores and applies a report.
   *
   * @throws ReportRejected saying why, with the status to answer
   */
  public Accepted accept(byte[] body) {
    try {
      Accepted a = admit(body);
      metrics.counter("canopy.reports", "outcome", "accepted").increment();
      return a;
    } catch (ReportRejected r) {
      metrics.counter("canopy.reports", "outcome", r.code()).increment();
      throw r;
    }
  }

  private Accepted admit(byte[] body) {
    if (body.length > ReportNote.MAX_BYTES) {
      throw new ReportRejected(
          413, "too-large", "a report is at most " + ReportNote.MAX_BYTES + " bytes");
    }
    SignedReport signed = parse(body);
    ReportNote r = signed.report();
    Instant now = clock.instant();
    checkTime(r.time(), now);
    String key = r.key().toHex();
    if (!limiter.tryAcquire(key)) {
      throw new ReportRejected(429, "rate-limited", "too many reports from " + key + "; slow down");
    }
    if (!store.accept(signed, now, samples(r, key))) {
      throw new ReportRejected(
          400,
          "replayed",
          "seq " + Long.toUnsignedString(r.seq()) + " is not above the last report of " + key);
    }
    live.report(new ReceivedReport(r, now));
    replicas.announce(key);
    return new Accepted(key, r.seq());
  }

  private static SignedReport parse(byte[] body) {
    try {
      return SignedReport.parse(body);
    } catch (InvalidReportException e) {
      int status =
          switch (e.reason()) {
            case TOO_LARGE -> 413;
            case BAD_SIGNATURE, ADDRESS_MISMATCH -> 403;
            default -> 400;
          };
      throw new ReportRejected(status, e.reason().code(), e.getMessage());
    }
  }

  private void checkTime(Instant time, Instant now) {
    Duration age = Duration.between(time, now);
    if (age.compareTo(config.reports().maxAge()) > 0) {
      throw new ReportRejected(
          400, "stale", "the report is from " + time + ", older than " + config.reports().maxAge());
    }
    if (age.negated().compareTo(config.reports().maxFuture()) > 0) {
      throw new ReportRejected(
          400,
          "from-the-future",
          "the report is from " + time + ", ahead of this clock (" + now + ")");
    }
  }

  /** What the report measured, per link, for the 24-hour history. */
  private List<MapStore.Sample> samples(ReportNote r, String key) {
    List<MapStore.Sample> out = new ArrayList<>();
    for (PeerLink p : r.peers()) {
      String other = p.key().toHex();
      if (!other.equals(key) && p.latency().isPresent()) {
        out.add(new MapStore.Sample(LinkId.of(key, other), millis(p.latency().get()), null));
      }
    }
    for (L2Neighbour n : r.neighbours()) {
      String other = live.macOwner(n.mac());
      if (other != null && !other.equals(key)) {
        out.add(
            new MapStore.Sample(
                LinkId.of(key, other),
                n.latency().map(ReportIntake::millis).orElse(null),
                n.quality()));
      }
    }
    return out;
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1e6;
  }
}
