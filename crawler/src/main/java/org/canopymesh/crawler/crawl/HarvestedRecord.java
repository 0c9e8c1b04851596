package org.canopymesh.crawler.crawl;

/**
 * A name record found in a node's NodeInfo, with the naming library's verdict.
 *
 * @param note the record note exactly as published
 * @param foundAt the key of the node whose NodeInfo held it
 * @param name the record's name if it could be read, else null
 * @param valid whether it passed every rule at crawl time
 * @param reason the rule it broke ({@code bad-signature}, ...), or null
 * @param detail what exactly was wrong, or null
 */
public record HarvestedRecord(
    String note, String foundAt, String name, boolean valid, String reason, String detail) {}
