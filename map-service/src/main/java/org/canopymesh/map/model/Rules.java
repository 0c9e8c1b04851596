package org.canopymesh.map.model;

import java.time.Duration;

/**
 * How nodes and links age.
 *
 * @param reportInterval the agents' report interval; a reported link is stale after two
 * @param offlineAfter a node not seen for this long is offline
 * @param lostAfter a node not seen for this long is lost
 * @param newFor a node first seen within this is new
 * @param linkForgetAfter a link not seen for this long leaves the map
 * @param forgetAfter a node not seen for this long leaves the map and lists
 */
public record Rules(
    Duration reportInterval,
    Duration offlineAfter,
    Duration lostAfter,
    Duration newFor,
    Duration linkForgetAfter,
    Duration forgetAfter) {
  /** The defaults of {@code canopy.map.freshness}. */
  public static Rules defaults() {
    return new Rules(
        Duration.ofSeconds(30),
        Duration.ofMinutes(30),
        Duration.ofDays(3),
        Duration.ofHours(24),
        Duration.ofHours(24),
        Duration.ofDays(30));
  }

  /** A report older than this no longer makes its links live. */
  Duration reportFresh() {
    return reportInterval.multipliedBy(2);
  }
}
