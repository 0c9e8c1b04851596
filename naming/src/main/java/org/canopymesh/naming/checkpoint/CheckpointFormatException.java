package org.canopymesh.naming.checkpoint;

import org.canopymesh.naming.NamingException;

/** A note text that is not a C2SP checkpoint, or a cosignature that is not well formed. */
public final class CheckpointFormatException extends NamingException {
  private static final long serialVersionUID = 1L;

  public CheckpointFormatException(String message) {
    super(message);
  }
}
