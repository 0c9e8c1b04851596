package org.canopymesh.agent.dns;

/** Bits of the header's flags word (RFC 1035 4.1.1) and the fixed sizes of the wire format. */
final class Header {
  static final int SIZE = 12;
  static final int QR = 0x8000;
  static final int OPCODE = 0x7800;
  static final int AA = 0x0400;
  static final int TC = 0x0200;
  static final int RD = 0x0100;
  static final int CD = 0x0010;
  static final int RCODE = 0x000f;

  static final int CLASS_IN = 1;

  /** The largest UDP answer: fits the IPv6 minimum MTU unfragmented (DNS flag day 2020). */
  static final int MAX_UDP = 1232;

  /** The UDP answer size for clients that send no OPT record (RFC 1035). */
  static final int MIN_UDP = 512;

  /** A TCP message's two-byte length prefix caps it. */
  static final int MAX_TCP = 65535;

  private Header() {}

  static boolean isQuery(int flags) {
    return (flags & QR) == 0;
  }

  static int opcode(int flags) {
    return (flags & OPCODE) >>> 11;
  }
}
