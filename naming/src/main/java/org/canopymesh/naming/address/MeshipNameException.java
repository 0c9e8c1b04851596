package org.canopymesh.naming.address;

import org.canopymesh.naming.NamingException;

/** A {@code .meship} name that does not decode to exactly one Yggdrasil address. */
public final class MeshipNameException extends NamingException {
  private static final long serialVersionUID = 1L;

  public MeshipNameException(String message) {
    super(message);
  }
}
