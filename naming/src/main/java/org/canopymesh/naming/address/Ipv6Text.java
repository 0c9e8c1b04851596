package org.canopymesh.naming.address;

/** IPv6 text forms: any RFC 4291 spelling in, RFC 5952 canonical form out. */
final class Ipv6Text {
  private Ipv6Text() {}

  /** The 16 bytes of {@code text}; no zone, no brackets, no embedded IPv4. */
  static byte[] parse(String text) {
    if (text.isEmpty() || text.length() > 39) {
      throw bad(text);
    }
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      throw bad(text);
    }
    int[] head = groups(gap < 0 ? text : text.substring(0, gap), text);
    int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), text);
    int missing = 8 - head.length - tail.length;
    if ((gap < 0 && missing != 0) || (gap >= 0 && missing < 1)) {
      throw bad(text);
    }
    byte[] out = new byte[16];
    put(out, 0, head);
    put(out, 8 - tail.length, tail);
    return out;
  }

  private static int[] groups(String part, String whole) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] fields = part.split(":", -1);
    int[] g = new int[fields.length];
    for (int i = 0; i < fields.length; i++) {
      String f = fields[i];
      if (f.isEmpty() || f.length() > 4) {
        throw bad(whole);
      }
      int v = 0;
      for (int j = 0; j < f.length(); j++) {
        int d = Character.digit(f.charAt(j), 16);
        if (d < 0) {
          throw bad(whole);
        }
        v = v << 4 | d;
      }
      g[i] = v;
    }
    return g;
  }

  private static void put(byte[] out, int group, int[] values) {
    for (int i = 0; i < values.length; i++) {
      out[2 * (group + i)] = (byte) (values[i] >>> 8);
      out[2 * (group + i) + 1] = (byte) values[i];
    }
  }

  /**
   * RFC 5952: lower case, no leading zeros, the first longest run of two or more zero groups as ::.
   */
  static String format(byte[] a) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  private static AddressFormatException bad(String text) {
    String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    return new AddressFormatException("\"" + shown + "\" is not an IPv6 address");
  }
}
