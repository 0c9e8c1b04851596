package org.canopymesh.agent;

/** The root of the agent's own exceptions; the message is meant for the operator. */
public class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
