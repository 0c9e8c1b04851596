package org.canopymesh.naming.note;

import org.canopymesh.naming.NamingException;

/**
 * A well-formed note that does not verify: a signature from a known key fails, or no known key
 * signed it at all.
 */
public final class NoteVerificationException extends NamingException {
  private static final long serialVersionUID = 1L;

  public NoteVerificationException(String message) {
    super(message);
  }
}
