package org.canopymesh.naming.log;

import org.canopymesh.naming.NamingException;

/** A Merkle proof that does not verify, or one asked for sizes the tree cannot prove. */
public final class ProofException extends NamingException {
  private static final long serialVersionUID = 1L;

  public ProofException(String message) {
    super(message);
  }
}
