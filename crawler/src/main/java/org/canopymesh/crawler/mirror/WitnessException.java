package org.canopymesh.crawler.mirror;

import org.canopymesh.crawler.CrawlerException;

/**
 * A tlog-witness refusal, with the HTTP status the spec gives it.
 *
 * <p>For {@link Status#CONFLICT} on a size mismatch, {@link #size()} is the size of the newest
 * checkpoint this witness cosigned for the log; the client retries from there.
 */
public final class WitnessException extends CrawlerException {
  private static final long serialVersionUID = 1L;

  /** The spec's answers. */
  public enum Status {
    BAD_REQUEST(400),
    FORBIDDEN(403),
    NOT_FOUND(404),
    CONFLICT(409),
    UNPROCESSABLE(422);

    private final int code;

    Status(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  private final Status status;
  private final Long size;

  WitnessException(Status status, String message) {
    this(status, message, null);
  }

  WitnessException(Status status, String message, Long size) {
    super(message);
    this.status = status;
    this.size = size;
  }

  public Status status() {
    return status;
  }

  /** The cosigned size, on a size conflict; else null. */
  public Long size() {
    return size;
  }
}
