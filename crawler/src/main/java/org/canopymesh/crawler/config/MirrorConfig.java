package org.canopymesh.crawler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code canopy.mirror.*}: this crawler as a naming mirror, its key, its peers. */
@ConfigMapping(prefix = "canopy.mirror")
public interface MirrorConfig {
  /**
   * Peer mirrors, each {@code <base url> <verifier key>}, e.g. {@code http://mirror-b:8081
   * mesh.alt/mirror/1a2b3c4d5e6f+7c1e2f90+AQ...}. They are synced from and asked to cosign.
   */
  Optional<List<String>> peers();

  /** Time between two syncs with every peer. */
  @WithDefault("30s")
  Duration syncInterval();

  /**
   * The mirror's signing key, in Go's {@code PRIVATE+KEY+<origin>+...} form; generated on first
   * start. Default: {@code mirror.key} in {@code canopy.data-dir}. Point it at a mounted Secret in
   * Kubernetes.
   */
  Optional<String> keyFile();

  /**
   * The log's origin line, used when a key is generated. Default: {@code <first zone>/mirror/<12
   * hex digits of the key's hash>}, unique per key.
   */
  Optional<String> origin();

  /** The most time between an append and the checkpoint that covers it. */
  @WithDefault("5s")
  Duration checkpointInterval();

  /** Records one source (client address) may submit per second, sustained. */
  @WithDefault("20")
  double submitRate();

  /** Records one source may submit in a burst. */
  @WithDefault("200")
  int submitBurst();

  /** The most entries one {@code /log/entries} page holds, served or fetched. */
  @WithDefault("1000")
  int pageSize();

  /** Time for one request to a peer. */
  @WithDefault("20s")
  Duration peerTimeout();

  /** Records waiting to be appended; past it submissions are answered 429. */
  @WithDefault("20000")
  int queueLimit();
}
