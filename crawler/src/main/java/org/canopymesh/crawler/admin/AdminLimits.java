package org.canopymesh.crawler.admin;

import java.time.Duration;

/**
 * Bounds on what one admin call may cost, because every reply is untrusted.
 *
 * @param callTimeout time for one request and its reply (Yggdrasil's own remote timeout is 6 s)
 * @param retries further attempts after a call fails in a way that may pass
 * @param backoff the wait before the first retry; it doubles for each further one
 * @param maxReplyBytes the largest reply read
 * @param maxKeysPerReply the most keys a peers reply may list
 * @param maxNodeInfoBytes the largest NodeInfo kept (Yggdrasil caps its own at 16 KiB)
 */
public record AdminLimits(
    Duration callTimeout,
    int retries,
    Duration backoff,
    int maxReplyBytes,
    int maxKeysPerReply,
    int maxNodeInfoBytes) {
  public static final AdminLimits DEFAULT =
      new AdminLimits(Duration.ofSeconds(6), 1, Duration.ofMillis(500), 1 << 20, 2048, 16 * 1024);

  public AdminLimits {
    if (callTimeout.isNegative() || callTimeout.isZero() || retries < 0 || maxReplyBytes < 1024) {
      throw new IllegalArgumentException("admin limits must be positive");
    }
  }
}
