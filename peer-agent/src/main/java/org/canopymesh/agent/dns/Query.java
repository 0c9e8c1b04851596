package org.canopymesh.agent.dns;

import java.util.Optional;

/**
 * A well-formed query.
 *
 * @param message the whole message as received; answers copy the question from it
 * @param id the client's message ID
 * @param flags the header's flags word (RD and CD are echoed)
 * @param name the question's name in lower case without the final dot ({@code ""} is the root).
 *     Every wire byte is one character, so the wire offset of the suffix that starts at character
 *     {@code i} is {@code 12 + i}: answers point at the question for every owner name, which keeps
 *     the client's spelling. A dot inside a label becomes NUL, which matches no name we serve.
 * @param questionEnd the offset just after the question, from the start of the message
 * @param type the question's type
 * @param qclass the question's class
 * @param edns the OPT record, when the client sent one
 */
record Query(
    byte[] message,
    int id,
    int flags,
    String name,
    int questionEnd,
    int type,
    int qclass,
    Optional<Edns> edns)
    implements Incoming {

  RecordType recordType() {
    return RecordType.of(type);
  }

  /** The largest answer this client takes over UDP. */
  int udpLimit() {
    return edns.map(e -> Math.max(Header.MIN_UDP, Math.min(Header.MAX_UDP, e.payloadSize())))
        .orElse(Header.MIN_UDP);
  }

  /**
   * The client's OPT record (RFC 6891).
   *
   * @param payloadSize the largest UDP answer it accepts
   * @param version the EDNS version; only 0 exists
   * @param dnssecOk the DO bit, echoed
   */
  record Edns(int payloadSize, int version, boolean dnssecOk) {}
}
