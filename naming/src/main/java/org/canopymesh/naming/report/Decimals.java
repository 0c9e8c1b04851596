package org.canopymesh.naming.report;

import static org.canopymesh.naming.report.InvalidReportException.Reason.MALFORMED_FIELD;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fixed-point decimals with one spelling each: no exponent, no leading zeros, no trailing zeros
 * after the point, no point without digits after it, no {@code -0}. Values are held as scaled
 * longs, so formatting is exact and a parsed report formats back to the same bytes.
 */
final class Decimals {
  private static final Pattern CANONICAL =
      Pattern.compile("(-?)(0|[1-9][0-9]{0,11})(?:\\.([0-9]{0,8}[1-9]))?");

  private Decimals() {}

  /** {@code scaled / 10^scale} in canonical text. */
  static String format(long scaled, int scale) {
    long unit = pow10(scale);
    long abs = Math.abs(scaled);
    StringBuilder sb = new StringBuilder();
    if (scaled < 0) {
      sb.append('-');
    }
    sb.append(abs / unit);
    long frac = abs % unit;
    if (frac != 0) {
      String digits = String.format("%0" + scale + "d", frac);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(digits, 0, end);
    }
    return sb.toString();
  }

  /**
   * Parses canonical text with at most {@code scale} digits after the point into {@code value *
   * 10^scale}, which must lie in {@code [min, max]}.
   */
  static long parse(String field, String text, int scale, long min, long max) {
    Matcher m = CANONICAL.matcher(text);
    if (!m.matches()) {
      throw malformed(field, text, "a plain decimal number");
    }
    String frac = m.group(3) == null ? "" : m.group(3);
    boolean negative = !m.group(1).isEmpty();
    if (frac.length() > scale) {
      throw malformed(field, text, "a number with at most " + scale + " digits after the point");
    }
    if (negative && m.group(2).equals("0") && frac.isEmpty()) {
      throw malformed(field, text, "0, not -0");
    }
    long whole = Long.parseLong(m.group(2));
    long unit = pow10(scale);
    if (whole > Long.MAX_VALUE / unit - 1) {
      throw malformed(field, text, "a number in range");
    }
    long fraction = frac.isEmpty() ? 0 : Long.parseLong(frac) * pow10(scale - frac.length());
    long value = whole * unit + fraction;
    value = negative ? -value : value;
    if (value < min || value > max) {
      throw new InvalidReportException(
          MALFORMED_FIELD,
          field + " " + text + " is outside " + format(min, scale) + ".." + format(max, scale));
    }
    return value;
  }

  private static InvalidReportException malformed(String field, String text, String what) {
    return new InvalidReportException(
        MALFORMED_FIELD, field + " must be " + what + ", not \"" + MacAddress.shorten(text) + "\"");
  }

  private static long pow10(int n) {
    long v = 1;
    for (int i = 0; i < n; i++) {
      v *= 10;
    }
    return v;
  }
}
