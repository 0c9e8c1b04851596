package org.canopymesh.agent.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  /** A clock the test moves. */
  static final class TestClock extends Clock {
    private long millis = TestNames.NOW.toEpochMilli();

    void advance(long ms) {
      millis += ms;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static int allowed(RateLimiter l, InetAddress a, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      n += l.allow(a) ? 1 : 0;
    }
    return n;
  }

  @Test
  void aBurstThenTheSustainedRate() throws Exception {
    TestClock clock = new TestClock();
    RateLimiter l = new RateLimiter(new DnsSettings.RateLimit(10, 20, false), clock);
    InetAddress a = InetAddress.getByName("192.0.2.1");
    assertEquals(20, allowed(l, a, 100));
    clock.advance(1000);
    assertEquals(10, allowed(l, a, 100), "10 a second once the burst is spent");
    clock.advance(100);
    assertEquals(1, allowed(l, a, 100));
    clock.advance(60_000);
    assertEquals(20, allowed(l, a, 100), "a quiet client gets its whole burst back");
  }

  @Test
  void ipv6ClientsShareTheirSlash64AndIpv4ClientsAreEachAlone() throws Exception {
    RateLimiter l = new RateLimiter(new DnsSettings.RateLimit(1, 3, false), new TestClock());
    assertEquals(2, allowed(l, InetAddress.getByName("2001:db8:1:2::1"), 2));
    assertEquals(1, allowed(l, InetAddress.getByName("2001:db8:1:2::ffff"), 5), "same /64");
    assertEquals(3, allowed(l, InetAddress.getByName("2001:db8:1:3::1"), 5), "another /64");
    assertEquals(3, allowed(l, InetAddress.getByName("192.0.2.1"), 5));
    assertEquals(3, allowed(l, InetAddress.getByName("192.0.2.2"), 5));
  }

  @Test
  void loopbackIsLimitedOnlyWhenAskedTo() throws Exception {
    InetAddress lo = InetAddress.getByName("::1");
    RateLimiter free = new RateLimiter(new DnsSettings.RateLimit(1, 1, false), new TestClock());
    assertEquals(100, allowed(free, lo, 100));
    RateLimiter strict = new RateLimiter(new DnsSettings.RateLimit(1, 1, true), new TestClock());
    assertEquals(1, allowed(strict, lo, 100));
  }

  @Test
  void anAbusiveClientStaysLimitedWhileFarMoreClientsThanTheTableHoldsComeAndGo() throws Exception {
    RateLimiter l = new RateLimiter(new DnsSettings.RateLimit(1, 100, false), new TestClock());
    InetAddress abuser = InetAddress.getByName("10.0.0.1");
    assertEquals(100, allowed(l, abuser, 101));
    // The table has a fixed size; eight times as many clients as it holds each get their first
    // query. Evictions take the slots whose buckets are fullest, never the abuser's empty one.
    for (int i = 0; i < 8 * RateLimiter.CAPACITY; i++) {
      byte[] b = {11, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
      assertTrue(l.allow(InetAddress.getByAddress(b)));
    }
    assertFalse(l.allow(abuser));
  }
}
