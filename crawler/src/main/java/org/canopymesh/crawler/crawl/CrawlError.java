package org.canopymesh.crawler.crawl;

/**
 * A call that failed during a crawl.
 *
 * @param call the admin request, e.g. {@code debug_remoteGetPeers}
 * @param key the node it was about, or null for local calls
 * @param kind {@code timeout}, {@code connect}, {@code protocol} or {@code remote}
 * @param message what happened
 */
public record CrawlError(String call, String key, String kind, String message) {}
