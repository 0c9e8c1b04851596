package org.canopymesh.map.bench;

import java.util.Arrays;
import java.util.Locale;

/** A set of measured durations in milliseconds, with nearest-rank percentiles. */
final class Latencies {
  private double[] values = new double[256];
  private int n;
  private boolean sorted;

  synchronized void add(double ms) {
    if (n == values.length) {
      values = Arrays.copyOf(values, n * 2);
    }
    values[n++] = ms;
    sorted = false;
  }

  synchronized int count() {
    return n;
  }

  /** The {@code p}th percentile (nearest rank); NaN when empty. */
  synchronized double percentile(double p) {
    if (n == 0) {
      return Double.NaN;
    }
    if (!sorted) {
      Arrays.sort(values, 0, n);
      sorted = true;
    }
    int rank = (int) Math.ceil(p / 100 * n);
    return values[Math.max(0, Math.min(n - 1, rank - 1))];
  }

  double p50() {
    return percentile(50);
  }

  double p95() {
    return percentile(95);
  }

  double p99() {
    return percentile(99);
  }

  double max() {
    return percentile(100);
  }

  synchronized double mean() {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += values[i];
    }
    return n == 0 ? Double.NaN : s / n;
  }

  /** "p50 1.2 ms, p99 3.4 ms, max 5.6 ms (n 1,000)". */
  String summary() {
    return String.format(
        Locale.ROOT, "p50 %s, p99 %s, max %s (n %,d)", ms(p50()), ms(p99()), ms(max()), count());
  }

  static String ms(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, v < 10 ? "%.2f ms" : v < 100 ? "%.1f ms" : "%.0f ms", v);
  }
}
