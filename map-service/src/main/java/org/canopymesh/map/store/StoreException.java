package org.canopymesh.map.store;

import org.canopymesh.map.MapException;

/** The database failed a read or write; the message says which. */
public final class StoreException extends MapException {
  private static final long serialVersionUID = 1L;

  StoreException(String what, Exception cause) {
    super(what + " failed: " + cause.getMessage(), cause);
  }
}
