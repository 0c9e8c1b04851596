package org.canopymesh.agent.cli;

/** Something the user gave that cannot be used; its message is the whole explanation. */
final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UserError(String message) {
    super(message);
  }
}
