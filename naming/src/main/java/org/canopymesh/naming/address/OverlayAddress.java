package org.canopymesh.naming.address;

import org.canopymesh.naming.key.VerifyingKey;

/**
 * An address in the Yggdrasil range 200::/7: a node address ({@code 02} first byte) or an address
 * inside a node's routed /64 ({@code 03}). Held as two longs, so equality is by value.
 *
 * @param high the first 8 bytes, big-endian
 * @param low the last 8 bytes, big-endian
 */
public record OverlayAddress(long high, long low) implements Comparable<OverlayAddress> {
  private static final int PREFIX = 0x02;

  public OverlayAddress {
    if ((high >>> 57) != (PREFIX >>> 1)) {
      throw new AddressFormatException(
          Ipv6Text.format(toBytes(high, low)) + " is not a Yggdrasil address (outside 200::/7)");
    }
  }

  /**
   * The address Yggdrasil 0.4 and 0.5 derive from a node key ({@code address.AddrForKey}): invert
   * the key, count its leading one bits, drop them and the zero bit after them; the address is
   * {@code 0x02}, the count, then the next 112 bits.
   */
  public static OverlayAddress forKey(VerifyingKey key) {
    byte[] k = key.bytes();
    byte[] addr = new byte[16];
    addr[0] = PREFIX;
    int bit = 0;
    int ones = 0;
    int total = 8 * k.length;
    while (bit < total && isSet(k, bit)) {
      ones++;
      bit++;
    }
    bit++; // the first zero bit of the inverted key is implied by the count
    addr[1] = (byte) ones; // Go stores the count in a byte too
    for (int out = 16; out < 128 && bit < total; out++, bit++) {
      if (isSet(k, bit)) {
        addr[out >>> 3] |= (byte) (0x80 >>> (out & 7));
      }
    }
    return of(addr);
  }

  /** Whether bit {@code i} of the inverted key is one, i.e. the key's bit is zero. */
  private static boolean isSet(byte[] key, int i) {
    return (key[i >>> 3] & (0x80 >>> (i & 7))) == 0;
  }

  /** The address with these 16 bytes. */
  public static OverlayAddress of(byte[] bytes) {
    if (bytes.length != 16) {
      throw new AddressFormatException("an IPv6 address is 16 bytes, not " + bytes.length);
    }
    return new OverlayAddress(readLong(bytes, 0), readLong(bytes, 8));
  }

  /** Parses any IPv6 text form of an address in 200::/7. */
  public static OverlayAddress parse(String text) {
    return of(Ipv6Text.parse(text));
  }

  /** Whether this is a node's own address ({@code 200::/8}) rather than one in a routed /64. */
  public boolean isNodeAddress() {
    return (high >>> 56) == PREFIX;
  }

  /** The 16 bytes, big-endian. */
  public byte[] bytes() {
    return toBytes(high, low);
  }

  /** The RFC 5952 canonical text, as Yggdrasil prints it. */
  @Override
  public String toString() {
    return Ipv6Text.format(bytes());
  }

  @Override
  public int compareTo(OverlayAddress o) {
    int c = Long.compareUnsigned(high, o.high);
    return c != 0 ? c : Long.compareUnsigned(low, o.low);
  }

  private static byte[] toBytes(long high, long low) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (high >>> (56 - 8 * i));
      b[8 + i] = (byte) (low >>> (56 - 8 * i));
    }
    return b;
  }

  private static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[off + i] & 0xff);
    }
    return v;
  }
}
