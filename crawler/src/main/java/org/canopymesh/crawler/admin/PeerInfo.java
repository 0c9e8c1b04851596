package org.canopymesh.crawler.admin;

/**
 * A direct peering of the local node, from {@code getPeers}.
 *
 * @param key the peer's public key, 64 lower-case hex digits
 * @param remote how the peering is made, e.g. {@code tcp://192.168.1.4:1234}, or {@code null}
 * @param inbound whether the peer dialled us (null when the version does not say)
 */
public record PeerInfo(String key, String remote, Boolean inbound) {}
