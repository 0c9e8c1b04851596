package org.canopymesh.map.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code canopy.map.*}: where the map service gets topology, how it judges freshness, and what the
 * page draws on. Every duration is a Quarkus duration ({@code 60s}, {@code 30m}, {@code 3d}).
 */
@ConfigMapping(prefix = "canopy.map")
public interface MapConfig {
  /** Base URLs of the crawlers to poll ({@code GET <url>/api/v1/topology}); none is allowed. */
  Optional<List<String>> crawlers();

  /** Time between polls of each crawler; an unchanged topology costs one 304. */
  @WithDefault("60s")
  Duration pollInterval();

  /**
   * The tile layer of the page, a Leaflet URL template. Communities off the Internet serve their
   * own tiles; {@code none} draws the map without a base layer.
   */
  @WithDefault("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
  String tileUrl();

  /** Attribution shown for the tiles. */
  @WithDefault("© OpenStreetMap contributors")
  String tileAttribution();

  /** Freshness rules of the model. */
  Freshness freshness();

  /** What {@code POST /api/v1/reports} accepts. */
  Reports reports();

  /** The limits of what a crawler may send. */
  Poll poll();

  /** How nodes and links age. */
  interface Freshness {
    /**
     * The agents' report interval (the agent's {@code reportInterval}); a reported link is stale
     * after two of them pass without a report.
     */
    @WithDefault("30s")
    Duration reportInterval();

    /** A node not seen for this long is offline. */
    @WithDefault("30m")
    Duration offlineAfter();

    /** An offline node is lost after this long. */
    @WithDefault("3d")
    Duration lostAfter();

    /** A node first seen less than this long ago is new. */
    @WithDefault("24h")
    Duration newFor();

    /** Nodes and links not seen for this long are forgotten. */
    @WithDefault("30d")
    Duration forgetAfter();

    /** How often the model is re-judged when nothing arrives (states change with time alone). */
    @WithDefault("15s")
    Duration tick();
  }

  /** Report admission. */
  interface Reports {
    /** A report whose {@code time} is older than this is stale (agents drop it on 400). */
    @WithDefault("15m")
    Duration maxAge();

    /** A report from further in the future than this is refused (clock skew allowance). */
    @WithDefault("2m")
    Duration maxFuture();

    /** Reports per second a key may send, sustained. */
    @WithDefault("0.2")
    double rate();

    /** Reports a key may send at once (after an outage an agent sends its queue in order). */
    @WithDefault("10")
    int burst();
  }

  /** Crawler polling bounds. */
  interface Poll {
    /** The largest topology answer read. */
    @WithName("max-bytes")
    @WithDefault("64M")
    io.quarkus.runtime.configuration.MemorySize maxBytes();

    /** Time for one poll. */
    @WithDefault("30s")
    Duration timeout();

    /** The most nodes taken from one crawler. */
    @WithDefault("100000")
    int maxNodes();

    /** The most links taken from one crawler. */
    @WithDefault("500000")
    int maxLinks();
  }
}
