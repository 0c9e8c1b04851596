package org.canopymesh.agent.sync;

import org.canopymesh.agent.AgentException;

/** A mirror's answer that was not accepted, and why. */
public final class SyncException extends AgentException {
  private static final long serialVersionUID = 1L;
  private final Fault fault;

  public SyncException(Fault fault, String detail) {
    super(detail);
    this.fault = fault;
  }

  public Fault fault() {
    return fault;
  }
}
