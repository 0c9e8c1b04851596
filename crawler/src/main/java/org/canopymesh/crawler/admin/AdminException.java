package org.canopymesh.crawler.admin;

import org.canopymesh.crawler.CrawlerException;

/** An admin call that did not produce a usable reply; {@link #kind()} says why. */
public final class AdminException extends CrawlerException {
  private static final long serialVersionUID = 1L;

  /** Why a call failed. */
  public enum Kind {
    /** The endpoint could not be reached. */
    CONNECT,
    /** No complete reply within the call timeout. */
    TIMEOUT,
    /** The reply was not a JSON object, was over a size or count limit, or had the wrong shape. */
    PROTOCOL,
    /** Yggdrasil answered with an error, e.g. a remote node that did not answer it. */
    REMOTE
  }

  private final Kind kind;

  public AdminException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Worth trying again: the network or the remote node may answer next time. */
  public boolean retryable() {
    return kind == Kind.TIMEOUT || kind == Kind.REMOTE || kind == Kind.CONNECT;
  }
}
