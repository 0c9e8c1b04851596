package org.canopymesh.map.report;

import org.canopymesh.map.MapException;

/**
 * A report that was not accepted, with the HTTP status agents act on: 400, 403 and 413 are final
 * (the agent drops the report), 429 asks it to come back later.
 *
 * @see ReportIntake
 */
public final class ReportRejected extends MapException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  ReportRejected(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  /** A stable kebab-case identifier, e.g. {@code replayed}. */
  public String code() {
    return code;
  }
}
