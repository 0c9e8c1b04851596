package org.canopymesh.map.model;

import java.time.Instant;

/** A node's history: when it was first and last seen, and what was last known of it. */
public record Known(Instant firstSeen, Instant lastSeen, NodeFacts facts) {}
