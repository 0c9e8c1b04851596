package org.canopymesh.map.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.canopymesh.map.config.MapConfig;

/**
 * Per-key token buckets for reports: {@code reports.rate} a second sustained, {@code reports.burst}
 * at once. Keys are taken only after the signature verified, so nobody can spend another node's
 * tokens. The table is bounded: when it is full, buckets that have refilled (idle sources) are
 * dropped, which loses nothing.
 */
@ApplicationScoped
class KeyLimiter {
  static final int MAX_SOURCES = 10_000;

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final double rate;
  private final double burst;
  private final Clock clock;

  @Inject
  KeyLimiter(MapConfig config, Clock clock) {
    this.rate = config.reports().rate();
    this.burst = config.reports().burst();
    this.clock = clock;
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  /** Takes one token for {@code source}; false when it has none left. */
  public boolean tryAcquire(String source) {
    long now = clock.millis();
    if (buckets.size() >= MAX_SOURCES && !buckets.containsKey(source)) {
      buckets.values().removeIf(b -> refill(b, now) >= burst);
    }
    Bucket b = buckets.computeIfAbsent(source, s -> new Bucket(burst, now));
    synchronized (b) {
      b.tokens = refill(b, now);
      b.at = now;
      if (b.tokens < 1) {
        return false;
      }
      b.tokens -= 1;
      return true;
    }
  }

  private double refill(Bucket b, long now) {
    synchronized (b) {
      return Math.min(burst, b.tokens + (now - b.at) * rate / 1000.0);
    }
  }
}
