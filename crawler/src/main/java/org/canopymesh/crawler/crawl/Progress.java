package org.canopymesh.crawler.crawl;

/**
 * A running crawl's counters.
 *
 * @param nodesFound distinct keys seen so far
 * @param callsInFlight admin calls waiting for a reply
 * @param callsQueued calls waiting for a free slot
 * @param callsDone calls that have finished, successfully or not
 * @param errors calls that failed
 */
public record Progress(
    int nodesFound, int callsInFlight, int callsQueued, int callsDone, int errors) {}
