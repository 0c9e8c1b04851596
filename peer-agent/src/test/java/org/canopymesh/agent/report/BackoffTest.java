package org.canopymesh.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromTheFirstDelayUpToTheCapWithJitterInTheUpperHalf() {
    Backoff b = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5), new Random(42));
    long[] bases = {
      2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000
    };
    for (int attempt = 1; attempt <= bases.length; attempt++) {
      long base = bases[attempt - 1];
      for (int i = 0; i < 50; i++) {
        long ms = b.delay(attempt).toMillis();
        assertTrue(ms >= base / 2 && ms <= base, attempt + ": " + ms + " not in half of " + base);
      }
    }
    assertEquals(Duration.ofMinutes(5).toMillis(), bases[bases.length - 1]);
    assertTrue(b.delay(1_000_000).toMillis() <= 300_000, "no overflow however long the outage");
  }

  @Test
  void theJitterComesFromTheGivenRandomness() {
    RandomGenerator lowest =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            return 0;
          }

          @Override
          public long nextLong(long bound) {
            return 0;
          }
        };
    assertEquals(
        Duration.ofSeconds(4),
        new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5), lowest).delay(3));
    Set<Long> spread = new HashSet<>();
    Backoff real = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5), new Random(7));
    for (int i = 0; i < 20; i++) {
      spread.add(real.delay(5).toMillis());
    }
    assertTrue(spread.size() > 10, "agents do not retry in step: " + spread);
  }

  @Test
  void refusesNonsense() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));
  }
}
