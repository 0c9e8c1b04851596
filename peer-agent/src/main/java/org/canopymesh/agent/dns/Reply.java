package org.canopymesh.agent.dns;

/** What the resolver decided for a query: an answer of its own, or to ask the upstream. */
sealed interface Reply permits Answer, Reply.Forward {
  /** The name is not ours: the upstream answers it. */
  enum Forward implements Reply {
    UPSTREAM
  }
}
