package org.canopymesh.naming;

/**
 * Root of every exception the naming library throws. Each subclass names one kind of bad input and
 * carries the context a caller needs to report it; messages are safe to show to users (they never
 * contain secret key material).
 */
public class NamingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NamingException(String message) {
    super(message);
  }

  public NamingException(String message, Throwable cause) {
    super(message, cause);
  }
}
