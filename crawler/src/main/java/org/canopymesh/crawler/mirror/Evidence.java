package org.canopymesh.crawler.mirror;

import java.time.Instant;

/**
 * Proof that a peer misbehaved, kept so that anyone can check it.
 *
 * @param origin the peer
 * @param kind what it did
 * @param detail in words
 * @param first the earlier signed checkpoint, or null
 * @param second the later signed checkpoint or the offending entry, or null
 * @param foundAt when this mirror found it
 */
public record Evidence(
    String origin,
    EvidenceKind kind,
    String detail,
    String first,
    String second,
    Instant foundAt) {}
