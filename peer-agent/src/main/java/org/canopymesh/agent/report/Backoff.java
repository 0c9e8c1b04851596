package org.canopymesh.agent.report;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th retry waits between half and all of {@code first ×
 * 2^(n-1)}, capped at {@code max}. The random half keeps the agents of a mesh that lost their map
 * service at the same moment from all coming back at the same moment.
 */
final class Backoff {
  private final Duration first;
  private final Duration max;
  private final RandomGenerator random;

  Backoff(Duration first, Duration max, RandomGenerator random) {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < first <= max, not " + first + " and " + max);
    }
    this.first = first;
    this.max = max;
    this.random = random;
  }

  /** The wait before retry {@code attempt} (1 for the first retry). */
  Duration delay(int attempt) {
    long cap = max.toMillis();
    long base = first.toMillis();
    for (int i = 1; i < attempt && base < cap; i++) {
      base *= 2;
    }
    base = Math.min(base, cap);
    long half = base / 2;
    return Duration.ofMillis(base - half + random.nextLong(half + 1));
  }

  Duration max() {
    return max;
  }
}
