package org.canopymesh.crawler.log;

/**
 * One entry to append: the record note's bytes exactly as received and where they came from.
 *
 * @param entry the note bytes, hashed as an RFC 9162 leaf
 * @param leafHash {@code SHA-256(0x00 || entry)}
 * @param source {@code submit}, {@code crawl} or {@code peer:<origin>}
 */
public record LogEntry(byte[] entry, byte[] leafHash, String source) {}
