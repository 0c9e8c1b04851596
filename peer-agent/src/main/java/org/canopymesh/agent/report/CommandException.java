package org.canopymesh.agent.report;

import org.canopymesh.agent.AgentException;

/** A tool the agent runs (batctl, iw) that could not give an output to read. */
final class CommandException extends AgentException {
  private static final long serialVersionUID = 1L;

  /** Why a command gave nothing. */
  enum Kind {
    /** The program is not installed (or not on PATH). */
    MISSING,
    /** It ran past its time limit and was killed. */
    TIMEOUT,
    /** It printed more than the output limit and was killed. */
    TOO_LARGE,
    /** It could not be started or read. */
    FAILED
  }

  private final Kind kind;

  CommandException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }
}
