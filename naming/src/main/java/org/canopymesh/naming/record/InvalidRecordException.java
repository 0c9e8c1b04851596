package org.canopymesh.naming.record;

import org.canopymesh.naming.NamingException;

/** A name record that breaks one rule of {@code canopy-record/v1}; {@link #reason()} says which. */
public final class InvalidRecordException extends NamingException {
  private static final long serialVersionUID = 1L;

  /** The rule a record broke. {@link #code()} is a stable identifier for APIs and scripts. */
  public enum Reason {
    TOO_LARGE("too large"),
    MALFORMED_NOTE("malformed note"),
    UNSUPPORTED_FORMAT("unsupported format"),
    MISSING_FIELD("missing field"),
    DUPLICATE_FIELD("duplicate field"),
    UNKNOWN_FIELD("unknown field"),
    MALFORMED_FIELD("malformed field"),
    MALFORMED_NAME("malformed name"),
    NAME_OUTSIDE_ZONE("name outside zone"),
    ADDRESS_MISMATCH("address does not match key"),
    BAD_SIGNATURE("bad signature"),
    LIFETIME_TOO_LONG("lifetime over 90 days"),
    EXPIRES_BEFORE_ISSUED("expires before issued"),
    ISSUED_IN_FUTURE("issued in the future"),
    EXPIRED("expired");

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

  public InvalidRecordException(Reason reason, String detail) {
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
