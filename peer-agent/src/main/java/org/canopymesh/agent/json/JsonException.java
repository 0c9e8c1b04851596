package org.canopymesh.agent.json;

import org.canopymesh.agent.AgentException;

/** A JSON document that is malformed or over its limits. */
public final class JsonException extends AgentException {
  private static final long serialVersionUID = 1L;

  public JsonException(String message) {
    super(message);
  }
}
