package org.canopymesh.crawler.crawl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One node as one crawl saw it.
 *
 * @param key its public key, 64 lower-case hex digits
 * @param address its overlay address
 * @param responded whether it answered
 * @param nodeInfo its NodeInfo as received (bounded), or null
 * @param name the {@code name} it publishes, or null
 * @param location where it says it is, or null
 * @param island the island it declares in {@code canopy.island}, or null
 * @param version its {@code buildversion}, or null
 * @param hidden it asked to be left out of public outputs ({@code canopy.hide})
 * @param records name records from {@code canopy.records}
 */
public record NodeObservation(
    String key,
    String address,
    Responded responded,
    JsonNode nodeInfo,
    String name,
    Location location,
    String island,
    String version,
    boolean hidden,
    List<HarvestedRecord> records) {}
