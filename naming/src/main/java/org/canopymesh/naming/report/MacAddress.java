package org.canopymesh.naming.report;

import static org.canopymesh.naming.report.InvalidReportException.Reason.MALFORMED_FIELD;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A unicast 48-bit MAC address, written as six lower-case hex pairs with colons ({@code
 * 02:42:0a:22:00:03}), the way {@code batctl} and {@code iw} print them.
 *
 * @param value the 48 bits, in the low bits of the long
 */
public record MacAddress(long value) implements Comparable<MacAddress> {
  private static final Pattern CANONICAL = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
  private static final Pattern ANY_CASE = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
  private static final long MASK = (1L << 48) - 1;
  private static final long GROUP_BIT = 1L << 40;

  public MacAddress {
    if ((value & ~MASK) != 0) {
      throw new IllegalArgumentException(
          "a MAC address has 48 bits, not " + Long.toHexString(value));
    }
    if ((value & GROUP_BIT) != 0 || value == 0) {
      // Neighbours and interfaces are stations: a group or all-zero address is a parsing error.
      throw new InvalidReportException(
          MALFORMED_FIELD, format(value) + " is not a unicast MAC address");
    }
  }

  /** Parses the canonical form only: lower case, colons, as reports carry it. */
  public static MacAddress parse(String text) {
    if (!CANONICAL.matcher(text).matches()) {
      throw new InvalidReportException(
          MALFORMED_FIELD, "\"" + shorten(text) + "\" is not a lower-case MAC address");
    }
    return new MacAddress(Long.parseLong(text.replace(":", ""), 16));
  }

  /** Parses six hex pairs with colons in either case, as tools and {@code /sys} print them. */
  public static MacAddress parseAnyCase(String text) {
    if (!ANY_CASE.matcher(text).matches()) {
      throw new InvalidReportException(
          MALFORMED_FIELD, "\"" + shorten(text) + "\" is not a MAC address");
    }
    return parse(text.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return format(value);
  }

  @Override
  public int compareTo(MacAddress o) {
    return Long.compare(value, o.value);
  }

  private static String format(long v) {
    StringBuilder sb = new StringBuilder(17);
    for (int shift = 40; shift >= 0; shift -= 8) {
      if (sb.length() > 0) {
        sb.append(':');
      }
      sb.append(Character.forDigit((int) (v >>> (shift + 4)) & 0xf, 16));
      sb.append(Character.forDigit((int) (v >>> shift) & 0xf, 16));
    }
    return sb.toString();
  }

  static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
