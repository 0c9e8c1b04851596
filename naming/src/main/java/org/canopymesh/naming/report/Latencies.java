package org.canopymesh.naming.report;

import static org.canopymesh.naming.report.InvalidReportException.Reason.MALFORMED_FIELD;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Latencies in reports: milliseconds with up to three decimals (whole microseconds), or "-". */
final class Latencies {
  static final Duration MAX = ReportNote.MAX_LATENCY;

  private static final int SCALE = 3;

  private Latencies() {}

  /** {@code d} truncated to whole microseconds; refuses negative and absurd values. */
  static Optional<Duration> check(String field, Optional<Duration> d) {
    if (d.isEmpty()) {
      return d;
    }
    Duration v = d.get();
    if (v.isNegative() || v.compareTo(MAX) > 0) {
      throw new InvalidReportException(
          MALFORMED_FIELD, field + " latency must be 0 to " + MAX.toMillis() + " ms, not " + v);
    }
    return Optional.of(v.truncatedTo(ChronoUnit.MICROS));
  }

  static String format(Optional<Duration> d) {
    return d.map(v -> Decimals.format(v.toNanos() / 1000, SCALE)).orElse("-");
  }

  static Optional<Duration> parse(String field, String text) {
    if (text.equals("-")) {
      return Optional.empty();
    }
    long micros = Decimals.parse(field + " latency", text, SCALE, 0, MAX.toNanos() / 1000);
    return Optional.of(Duration.ofNanos(micros * 1000));
  }
}
