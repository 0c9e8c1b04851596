package org.canopymesh.naming.key;

import org.canopymesh.naming.NamingException;

/** Key material that cannot be used: wrong length, not hex, halves that disagree, no key found. */
public final class KeyFormatException extends NamingException {
  private static final long serialVersionUID = 1L;

  public KeyFormatException(String message) {
    super(message);
  }

  public KeyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
