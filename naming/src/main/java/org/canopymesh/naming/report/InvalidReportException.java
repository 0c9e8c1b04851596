package org.canopymesh.naming.report;

import org.canopymesh.naming.NamingException;

/** A report that breaks one rule of {@code canopy-report/v1}; {@link #reason()} says which. */
public final class InvalidReportException extends NamingException {
  private static final long serialVersionUID = 1L;

  /** The rule a report broke. {@link #code()} is a stable identifier for APIs and scripts. */
  public enum Reason {
    TOO_LARGE("too large"),
    MALFORMED_NOTE("malformed note"),
    UNSUPPORTED_FORMAT("unsupported format"),
    MISSING_FIELD("missing field"),
    DUPLICATE_FIELD("duplicate field"),
    MALFORMED_FIELD("malformed field"),
    TOO_MANY_LINES("too many lines"),
    ADDRESS_MISMATCH("address does not match key"),
    BAD_SIGNATURE("bad signature");

    private final String description;

    Reason(String description) {
      this.description = description;
    }

    /** Lower-case words, e.g. {@code bad signature}. */
    public String description() {
      return description;
    }

    /** Kebab case, e.g. {@code bad-signature}. */
    public String code() {
      return description.replace(' ', '-');
    }
  }

  private final Reason reason;
  private final String detail;

  public InvalidReportException(Reason reason, String detail) {
    super(reason.description() + ": " + detail);
    this.reason = reason;
    this.detail = detail;
  }

  public Reason reason() {
    return reason;
  }

  /** What exactly was wrong, without the reason's words. */
  public String detail() {
    return detail;
  }
}
