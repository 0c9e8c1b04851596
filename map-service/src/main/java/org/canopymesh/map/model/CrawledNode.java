package org.canopymesh.map.model;

import java.time.Instant;

/**
 * A node as one crawler saw it. Text fields come from the node's NodeInfo and are untrusted.
 *
 * @param location where its NodeInfo says it is, or null
 * @param name its NodeInfo name, or null
 * @param island the island it declares, or null
 * @param version its Yggdrasil version, or null
 */
public record CrawledNode(
    String key,
    String address,
    String name,
    Point location,
    String island,
    String version,
    Instant lastSeen) {}
