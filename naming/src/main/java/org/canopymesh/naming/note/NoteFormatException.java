package org.canopymesh.naming.note;

import org.canopymesh.naming.NamingException;

/** Bytes that are not a well-formed signed note, or a note over the size limits. */
public final class NoteFormatException extends NamingException {
  private static final long serialVersionUID = 1L;

  public NoteFormatException(String message) {
    super(message);
  }
}
