package org.canopymesh.crawler.lead;

import java.time.Instant;

/**
 * Fired once, when this process becomes the database's single writer: at start, or later when the
 * crawler that held the lock has died. Observers start whatever writes (the log writer, crawls,
 * peer sync), in the order of their {@code @Priority}.
 */
public record Elected(String instance, Instant at) {}
