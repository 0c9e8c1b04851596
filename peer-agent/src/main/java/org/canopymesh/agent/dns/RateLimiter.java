package org.canopymesh.agent.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A token bucket per client, kept as GCRA: one "theoretical arrival time" per client, in
 * microseconds. A query is allowed when the client's time, advanced by one interval, stays within
 * {@code burst} intervals of now.
 *
 * <p>Memory is fixed: {@link #CAPACITY} clients in a 4-way set-associative table. A new client
 * takes the slot in its set whose time is oldest; a slot whose time is in the past is a full
 * bucket, so evicting it forgets nothing. Sets are chosen with a random seed, so that an attacker
 * cannot aim at the set of a client whose bucket it wants refilled.
 */
final class RateLimiter {
  static final int CAPACITY = 65536;
  private static final int WAYS = 4;
  private static final int SETS = CAPACITY / WAYS;
  private static final int LOCKS = 64;
  private static final long IPV4 = 1L << 32;

  private final long intervalMicros;
  private final long toleranceMicros;
  private final boolean limitLoopback;
  private final Clock clock;
  private final long seed = ThreadLocalRandom.current().nextLong() | 1;
  private final long[] keys = new long[CAPACITY];

  /** 0 is a free slot; times are kept at least 1. */
  private final long[] times = new long[CAPACITY];

  private final Object[] locks = new Object[LOCKS];

  RateLimiter(DnsSettings.RateLimit limit, Clock clock) {
    this.intervalMicros = Math.max(1, 1_000_000L / limit.perSecond());
    this.toleranceMicros = intervalMicros * limit.burst();
    this.limitLoopback = limit.limitLoopback();
    this.clock = clock;
    for (int i = 0; i < LOCKS; i++) {
      locks[i] = new Object();
    }
  }

  /** Whether a UDP query from {@code client} may be answered now; counts it if so. */
  boolean allow(InetAddress client) {
    if (!limitLoopback && client.isLoopbackAddress()) {
      return true;
    }
    long key = key(client);
    long now = clock.millis() * 1000 + 1;
    int set = set(key);
    synchronized (locks[set & (LOCKS - 1)]) {
      int slot = slot(set, key);
      long tat = keys[slot] == key && times[slot] != 0 ? Math.max(times[slot], now) : now;
      long next = tat + intervalMicros;
      if (next - now > toleranceMicros) {
        return false;
      }
      keys[slot] = key;
      times[slot] = next;
      return true;
    }
  }

  /** IPv4 addresses whole, IPv6 by their /64: one host or one site gets one bucket. */
  private static long key(InetAddress a) {
    byte[] b = a.getAddress();
    long k = 0;
    if (a instanceof Inet4Address) {
      for (byte x : b) {
        k = k << 8 | (x & 0xff);
      }
      return IPV4 | k; // as an IPv6 /64 this is in 0:1::/32, unassigned: no real one collides
    }
    for (int i = 0; i < 8; i++) {
      k = k << 8 | (b[i] & 0xff);
    }
    return k;
  }

  private int set(long key) {
    long h = (key ^ seed) * 0x9e3779b97f4a7c15L;
    return (int) (h >>> 40) & (SETS - 1);
  }

  /** The slot that holds {@code key}, else the set's free or oldest slot. */
  private int slot(int set, long key) {
    int first = set * WAYS;
    int oldest = first;
    for (int i = first; i < first + WAYS; i++) {
      if (times[i] != 0 && keys[i] == key) {
        return i;
      }
      if (times[i] < times[oldest]) {
        oldest = i;
      }
    }
    return oldest;
  }
}
