package org.canopymesh.crawler.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.canopymesh.crawler.config.MirrorConfig;

/**
 * Per-source token buckets for record submissions: {@code submit-rate} a second sustained, {@code
 * submit-burst} at once. The table is bounded: when it is full, buckets that have refilled (idle
 * sources) are dropped, which loses nothing.
 */
@ApplicationScoped
public class SubmitLimiter {
  static final int MAX_SOURCES = 10_000;

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final double rate;
  private final double burst;
  private final Clock clock;

  @Inject
  SubmitLimiter(MirrorConfig config, Clock clock) {
    this.rate = config.submitRate();
    this.burst = config.submitBurst();
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
