package org.canopymesh.crawler.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.IntStream;
import org.canopymesh.crawler.config.MirrorConfig;
import org.junit.jupiter.api.Test;

class SubmitLimiterTest {
  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-11-21T12:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  static MirrorConfig config(double rate, int burst) {
    return (MirrorConfig)
        java.lang.reflect.Proxy.newProxyInstance(
            MirrorConfig.class.getClassLoader(),
            new Class<?>[] {MirrorConfig.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "submitRate" -> rate;
                  case "submitBurst" -> burst;
                  case "peers", "keyFile", "origin" -> Optional.empty();
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @Test
  void allowsABurstThenTheSustainedRatePerSource() {
    ManualClock clock = new ManualClock();
    SubmitLimiter limiter = new SubmitLimiter(config(2, 5), clock);
    assertEquals(5, IntStream.range(0, 10).filter(i -> limiter.tryAcquire("10.0.0.1")).count());
    assertFalse(limiter.tryAcquire("10.0.0.1"));
    assertTrue(limiter.tryAcquire("10.0.0.2"), "another source has its own bucket");
    clock.now = clock.now.plus(Duration.ofMillis(500));
    assertTrue(limiter.tryAcquire("10.0.0.1"), "half a second at 2/s buys one");
    assertFalse(limiter.tryAcquire("10.0.0.1"));
    clock.now = clock.now.plus(Duration.ofHours(1));
    assertEquals(5, IntStream.range(0, 10).filter(i -> limiter.tryAcquire("10.0.0.1")).count());
  }

  @Test
  void forgetsIdleSourcesWhenTheTableIsFull() {
    ManualClock clock = new ManualClock();
    SubmitLimiter limiter = new SubmitLimiter(config(1, 1), clock);
    for (int i = 0; i < SubmitLimiter.MAX_SOURCES; i++) {
      limiter.tryAcquire("source-" + i);
    }
    clock.now = clock.now.plusSeconds(10);
    assertTrue(limiter.tryAcquire("newcomer"));
    assertTrue(limiter.tryAcquire("source-0"), "an idle source starts with a full bucket again");
  }
}
