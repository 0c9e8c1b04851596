package org.canopymesh.map.model;

import java.time.Instant;

/** A link's history: its kind as last known, and when it was first and last seen. */
public record KnownLink(LinkId id, LinkKind kind, Instant firstSeen, Instant lastSeen) {}
