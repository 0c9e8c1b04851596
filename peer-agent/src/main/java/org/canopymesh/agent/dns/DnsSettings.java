package org.canopymesh.agent.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the DNS server listens on and serves.
 *
 * @param listen addresses to serve on, UDP and TCP on each; port 0 picks a free port (tests)
 * @param zones the zones whose names the agent serves, e.g. {@code mesh.alt}; any case, a trailing
 *     dot is allowed. {@code meship} and the reverse zones of 200::/7 are always served.
 * @param upstream a resolver that receives queries for every other name; without one they are
 *     answered REFUSED
 * @param maxTtl the longest TTL an answer carries (default {@link #DEFAULT_MAX_TTL}); names that
 *     expire sooner get shorter TTLs, {@code .meship} names (which never change) get this one
 * @param rateLimit the per-client UDP rate limit
 */
public record DnsSettings(
    List<InetSocketAddress> listen,
    List<String> zones,
    Optional<InetSocketAddress> upstream,
    Duration maxTtl,
    RateLimit rateLimit) {
  /** Five minutes: a renamed or moved name is seen everywhere soon after a sync. */
  public static final Duration DEFAULT_MAX_TTL = Duration.ofSeconds(300);

  public DnsSettings {
    listen = List.copyOf(listen);
    if (listen.isEmpty()) {
      throw new IllegalArgumentException("the DNS server needs at least one listen address");
    }
    zones = normalise(zones);
    if (maxTtl.compareTo(Duration.ofSeconds(1)) < 0 || maxTtl.getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxTtl is 1 s to 68 years, not " + maxTtl);
    }
    // Forwarding to ourselves would bounce every query until it times out.
    if (upstream.isPresent() && listen.contains(upstream.get())) {
      throw new IllegalArgumentException("the upstream " + upstream.get() + " is this server");
    }
  }

  /** The settings with the default TTL and rate limit. */
  public static DnsSettings of(
      List<InetSocketAddress> listen, List<String> zones, Optional<InetSocketAddress> upstream) {
    return new DnsSettings(listen, zones, upstream, DEFAULT_MAX_TTL, RateLimit.DEFAULT);
  }

  public DnsSettings withRateLimit(RateLimit limit) {
    return new DnsSettings(listen, zones, upstream, maxTtl, limit);
  }

  public DnsSettings withMaxTtl(Duration ttl) {
    return new DnsSettings(listen, zones, upstream, ttl, rateLimit);
  }

  /**
   * A token bucket per client address (per /64 for IPv6, where one host owns the whole prefix):
   * {@code burst} queries at once, then {@code perSecond}. Queries over the limit are dropped
   * without an answer, so that forged queries cannot turn the agent into an amplifier aimed at a
   * third party. Only UDP is limited: a TCP client has proved its address with the handshake.
   *
   * @param perSecond sustained queries per second per client
   * @param burst queries a quiet client may send at once
   * @param limitLoopback whether loopback clients are limited too; by default they are not, since
   *     they are this machine (its own resolver, often one busy stub for every program) and a
   *     forged source address cannot be a loopback address
   */
  public record RateLimit(int perSecond, int burst, boolean limitLoopback) {
    /** 100 queries a second, bursts of 200, loopback unlimited. */
    public static final RateLimit DEFAULT = new RateLimit(100, 200, false);

    public RateLimit {
      if (perSecond < 1 || perSecond > 1_000_000) {
        throw new IllegalArgumentException("perSecond is 1 to 1000000, not " + perSecond);
      }
      if (burst < 1 || burst > 1_000_000) {
        throw new IllegalArgumentException("burst is 1 to 1000000, not " + burst);
      }
    }
  }

  private static List<String> normalise(List<String> zones) {
    if (zones.isEmpty()) {
      throw new IllegalArgumentException("the DNS server needs at least one zone");
    }
    List<String> out = new ArrayList<>();
    for (String z : zones) {
      String n = z.toLowerCase(Locale.ROOT);
      n = n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
      if (!n.matches("[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*")
          || n.length() > 253) {
        throw new IllegalArgumentException("\"" + z + "\" is not a zone name");
      }
      if (n.equals(Zones.MESHIP) || n.endsWith(".arpa") || n.equals("arpa")) {
        throw new IllegalArgumentException(
            "\"" + z + "\" is served by the agent itself and cannot be a zone");
      }
      out.add(n);
    }
    return List.copyOf(out);
  }
}
