package org.canopymesh.naming.address;

import java.util.Locale;

/**
 * The name derived from an address with no database, as meshname does: the 16 address bytes in RFC
 * 4648 base32, the first 26 characters, lower case, then {@code .meship}. The last character
 * carries two unused bits, which must be zero: each address has exactly one name.
 *
 * @param address the address the name stands for
 */
public record MeshipName(OverlayAddress address) {
  public static final String TLD = "meship";
  static final int LENGTH = 26;
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

  public static MeshipName of(OverlayAddress address) {
    return new MeshipName(address);
  }

  /**
   * Decodes {@code label.meship} (a trailing dot is allowed, as in DNS) or the bare label. Letters
   * may be in either case, as DNS names are; anything else that is not the one spelling of an
   * address in 200::/7 is refused.
   */
  public static MeshipName parse(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    String label = n;
    int dot = n.indexOf('.');
    if (dot >= 0) {
      if (!n.substring(dot + 1).equalsIgnoreCase(TLD)) {
        throw new MeshipNameException("\"" + shorten(name) + "\" is not a name under ." + TLD);
      }
      label = n.substring(0, dot);
    }
    return new MeshipName(decodeLabel(label));
  }

  /** The 26-character label alone. */
  public String label() {
    byte[] b = address.bytes();
    StringBuilder sb = new StringBuilder(LENGTH);
    int buffer = 0;
    int bits = 0;
    for (byte x : b) {
      buffer = buffer << 8 | (x & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31)); // 128 = 25*5 + 3 bits left
    return sb.toString();
  }

  @Override
  public String toString() {
    return label() + "." + TLD;
  }

  private static OverlayAddress decodeLabel(String label) {
    if (label.length() != LENGTH) {
      throw new MeshipNameException(
          "a ." + TLD + " label is " + LENGTH + " characters, not " + label.length());
    }
    String l = label.toLowerCase(Locale.ROOT);
    byte[] out = new byte[16];
    int buffer = 0;
    int bits = 0;
    int o = 0;
    for (int i = 0; i < LENGTH; i++) {
      int v = ALPHABET.indexOf(l.charAt(i));
      if (v < 0) {
        throw new MeshipNameException(
            "'" + label.charAt(i) + "' is not a base32 character (a-z, 2-7)");
      }
      buffer = buffer << 5 | v;
      bits += 5;
      if (bits >= 8) {
        out[o++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    if ((buffer & ((1 << bits) - 1)) != 0) {
      throw new MeshipNameException(
          "the last character of \"" + label + "\" has unused bits set; it is not canonical");
    }
    try {
      return OverlayAddress.of(out);
    } catch (AddressFormatException e) {
      throw new MeshipNameException("\"" + label + "\" decodes to " + e.getMessage());
    }
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
