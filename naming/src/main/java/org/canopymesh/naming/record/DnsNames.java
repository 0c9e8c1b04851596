package org.canopymesh.naming.record;

import static org.canopymesh.naming.record.InvalidRecordException.Reason.MALFORMED_NAME;

import java.net.IDN;
import java.util.Locale;

/**
 * Host names in the one form records carry: lower-case ASCII labels of letters, digits and inner
 * hyphens, international labels as IDNA A-labels ({@code xn--}), at most 63 bytes a label and 253
 * in all, no trailing dot.
 */
public final class DnsNames {
  public static final int MAX_LENGTH = 253;
  public static final int MAX_LABEL = 63;

  private DnsNames() {}

  /**
   * The canonical form of what a person typed: IDNA ToASCII (so {@code Café.mesh.alt} becomes
   * {@code xn--caf-dma.mesh.alt}), lower case, no trailing dot. Throws if the result is not a valid
   * name.
   */
  public static String normalize(String input) {
    String s = input.strip();
    if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    String ascii;
    try {
      ascii = IDN.toASCII(s, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(
          MALFORMED_NAME, "\"" + shorten(input) + "\" is not a valid host name");
    }
    checkCanonical(ascii);
    return ascii;
  }

  /** Throws unless {@code name} is already in canonical form. */
  public static void checkCanonical(String name) {
    if (name.isEmpty() || name.length() > MAX_LENGTH) {
      throw new InvalidRecordException(
          MALFORMED_NAME, "a name is 1 to " + MAX_LENGTH + " characters, not " + name.length());
    }
    for (String label : name.split("\\.", -1)) {
      checkLabel(label, name);
    }
  }

  private static void checkLabel(String label, String name) {
    if (label.isEmpty() || label.length() > MAX_LABEL) {
      throw new InvalidRecordException(
          MALFORMED_NAME,
          "\"" + shorten(name) + "\" has a label that is empty or longer than " + MAX_LABEL);
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        throw new InvalidRecordException(
            MALFORMED_NAME,
            "\"" + shorten(name) + "\" contains '" + c + "'; names use a-z, 0-9 and '-'");
      }
    }
    if (label.startsWith("-") || label.endsWith("-")) {
      throw new InvalidRecordException(
          MALFORMED_NAME, "\"" + shorten(name) + "\" has a label that starts or ends with '-'");
    }
    if (label.length() >= 4 && label.startsWith("--", 2)) {
      if (!label.startsWith("xn--") || !isValidALabel(label)) {
        throw new InvalidRecordException(
            MALFORMED_NAME, "\"" + label + "\" is not a valid IDNA A-label");
      }
    }
  }

  private static boolean isValidALabel(String label) {
    try {
      String unicode = IDN.toUnicode(label, IDN.USE_STD3_ASCII_RULES);
      return !unicode.equals(label) && IDN.toASCII(unicode, IDN.USE_STD3_ASCII_RULES).equals(label);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether {@code name} is a name strictly below {@code zone} (both canonical). */
  public static boolean isBelow(String name, String zone) {
    return name.length() > zone.length() + 1
        && name.endsWith(zone)
        && name.charAt(name.length() - zone.length() - 1) == '.';
  }

  static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
