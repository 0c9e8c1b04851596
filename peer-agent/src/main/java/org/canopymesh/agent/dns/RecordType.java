package org.canopymesh.agent.dns;

/** The record types the server answers or has to recognise; everything else is {@link #OTHER}. */
enum RecordType {
  A(1),
  NS(2),
  SOA(6),
  PTR(12),
  TXT(16),
  AAAA(28),
  SRV(33),
  OPT(41),
  IXFR(251),
  AXFR(252),
  ANY(255),
  OTHER(-1);

  final int code;

  RecordType(int code) {
    this.code = code;
  }

  static RecordType of(int code) {
    return switch (code) {
      case 1 -> A;
      case 2 -> NS;
      case 6 -> SOA;
      case 12 -> PTR;
      case 16 -> TXT;
      case 28 -> AAAA;
      case 33 -> SRV;
      case 41 -> OPT;
      case 251 -> IXFR;
      case 252 -> AXFR;
      case 255 -> ANY;
      default -> OTHER;
    };
  }
}
