package org.canopymesh.agent.report;

import java.time.Duration;
import java.util.Optional;
import org.canopymesh.naming.key.VerifyingKey;

/**
 * One peering of the local node, from {@code getPeers}: a row per link, so one node can appear
 * twice.
 *
 * @param key the peer's key; empty for a 0.5 configured peer that is down
 * @param remote how the link is made, as Yggdrasil prints it ({@code tls://[fe80::…%25eth0]:port})
 * @param inbound whether the peer dialled us; empty when the dialect does not say (0.4)
 * @param up whether the link is connected (0.4 lists only connected peers)
 * @param latency the round trip, when 0.5 has measured one
 * @param port the local switch/ironwood port of the link, 0 when down
 */
public record PeerInfo(
    Optional<VerifyingKey> key,
    Optional<String> remote,
    Optional<Boolean> inbound,
    boolean up,
    Optional<Duration> latency,
    long port) {}
