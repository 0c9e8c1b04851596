package org.canopymesh.crawler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code canopy.crawler.*}: how and how often the crawler walks the overlay. */
@ConfigMapping(prefix = "canopy.crawler")
public interface CrawlerConfig {
  /** The Yggdrasil admin socket: {@code tcp://host:port} or {@code unix:///path.sock}. */
  @WithDefault("unix:///var/run/yggdrasil/yggdrasil.sock")
  String adminEndpoint();

  /**
   * Time between scheduled crawls; the first runs at start. Crawling costs every node a little: the
   * default is gentle.
   */
  @WithDefault("15m")
  Duration interval();

  /** Whether crawls run on the schedule at all (on-demand crawls always work). */
  @WithDefault("true")
  boolean scheduled();

  /** Admin calls in flight at once. */
  @WithDefault("32")
  int concurrency();

  /** Total time for one crawl; past it the crawl is stored as partial. */
  @WithDefault("10m")
  Duration deadline();

  /** Time for one admin call (Yggdrasil's own remote timeout is 6 s). */
  @WithDefault("6s")
  Duration callTimeout();

  /** Further attempts of a failed remote call, with doubling backoff. */
  @WithDefault("1")
  int retries();

  /** The wait before the first retry. */
  @WithDefault("500ms")
  Duration retryBackoff();

  /** The most nodes one crawl records. */
  @WithDefault("100000")
  int maxNodes();

  /** The largest admin reply read, in bytes. */
  @WithDefault("1048576")
  int maxReplyBytes();

  /** The most keys one peers reply may list. */
  @WithDefault("2048")
  int maxKeysPerReply();

  /** The largest NodeInfo kept, in bytes (Yggdrasil's own limit). */
  @WithDefault("16384")
  int maxNodeInfoBytes();

  /**
   * How often a standby tries to become the writer, and how often the writer checks that it still
   * holds the lock. Several crawlers may share a database; one holds a PostgreSQL advisory lock and
   * crawls and appends, the others wait and one takes over within this interval of its death.
   */
  @WithDefault("5s")
  Duration standbyRetry();

  /**
   * Where the other crawlers on this database reach this one while it is the writer: a standby
   * forwards its API requests there. In Kubernetes, {@code http://$(POD_IP):8081}. Unset: {@code
   * http://127.0.0.1:<quarkus.http.port>}, which serves crawlers on the same host.
   */
  Optional<String> advertiseUrl();
}
