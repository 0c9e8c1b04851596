package org.canopymesh.agent.report;

import org.canopymesh.agent.AgentException;

/**
 * An admin call to the local Yggdrasil node that gave no usable reply; {@link #kind()} says why.
 */
public final class AdminException extends AgentException {
  private static final long serialVersionUID = 1L;

  /** Why a call failed. */
  public enum Kind {
    /** The endpoint could not be reached: no socket, refused, no permission. */
    CONNECT,
    /** No complete reply within the call timeout. */
    TIMEOUT,
    /** The reply was not a JSON object, was over a limit, or had the wrong shape. */
    PROTOCOL,
    /** Yggdrasil answered with an error. */
    REMOTE
  }

  private final Kind kind;

  public AdminException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
