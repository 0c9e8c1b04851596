package org.canopymesh.agent.dns;

/** What one received message is: a query to answer, one to refuse outright, or noise to drop. */
sealed interface Incoming permits Query, Incoming.Reject, Incoming.Drop {
  /**
   * A message answered with a bare header: FORMERR for one that does not parse, NOTIMP for an
   * opcode other than QUERY. Never larger than the message, so it cannot amplify.
   */
  record Reject(int id, int flags, Rcode rcode) implements Incoming {}

  /** Too short to answer, or itself a response: answering responses could loop between servers. */
  enum Drop implements Incoming {
    DROP
  }
}
