package org.canopymesh.agent.dns;

import org.canopymesh.naming.address.OverlayAddress;

/**
 * A resource record to encode. Owner names (and SRV targets) are always a suffix of the question's
 * name, so they are given as the index in {@link Query#name()} where the suffix starts and are
 * written as a pointer into the question: the answer spells them as the client did.
 */
sealed interface Rr {
  int owner();

  int ttl();

  record Aaaa(int owner, int ttl, OverlayAddress address) implements Rr {}

  /** One TXT record with the text as one character-string. */
  record Txt(int owner, int ttl, String text) implements Rr {}

  /** Priority 0, weight 0: a name has one host. */
  record Srv(int owner, int ttl, int port, int target) implements Rr {}

  /** The zone's SOA at its apex; {@code minimum} is the negative-answer TTL (RFC 2308). */
  record Soa(int owner, int ttl, long serial, int minimum) implements Rr {}

  /** A PTR to {@code target}, a lower-case name without the final dot. */
  record Ptr(int owner, int ttl, String target) implements Rr {}
}
