package org.canopymesh.naming.address;

import org.canopymesh.naming.NamingException;

/** Text that is not an IPv6 address, or an address outside the Yggdrasil range 200::/7. */
public final class AddressFormatException extends NamingException {
  private static final long serialVersionUID = 1L;

  public AddressFormatException(String message) {
    super(message);
  }
}
