package org.canopymesh.map;

/** Root of the map service's exceptions; messages are for operators, never carry stack traces. */
public class MapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MapException(String message) {
    super(message);
  }

  public MapException(String message, Throwable cause) {
    super(message, cause);
  }
}
