package org.canopymesh.crawler.admin;

/**
 * The local node, from {@code getSelf}.
 *
 * @param key public key, 64 lower-case hex digits
 * @param address its overlay address as Yggdrasil prints it
 * @param buildVersion e.g. {@code 0.4.7}, or {@code unknown}
 * @param version the admin dialect it speaks
 */
public record SelfInfo(String key, String address, String buildVersion, AdminVersion version) {}
