package org.canopymesh.agent.report;

import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.VerifyingKey;

/**
 * The local node, from {@code getSelf}.
 *
 * @param key its public key
 * @param address its overlay address as Yggdrasil reports it
 * @param subnet its routed /64, e.g. {@code 302:d945:6c5f:7122::/64}, or empty if not given
 * @param dialect the admin dialect it speaks
 */
public record SelfInfo(
    VerifyingKey key, OverlayAddress address, String subnet, AdminDialect dialect) {}
