package org.canopymesh.agent.dns;

/** Response codes; {@link #BADVERS} is an extended code, carried half in the OPT record. */
enum Rcode {
  NOERROR(0),
  FORMERR(1),
  SERVFAIL(2),
  NXDOMAIN(3),
  NOTIMP(4),
  REFUSED(5),
  BADVERS(16);

  final int code;

  Rcode(int code) {
    this.code = code;
  }

  /** The four bits in the header. */
  int headerBits() {
    return code & 0xf;
  }

  /** The upper eight bits, in the OPT record's TTL field. */
  int extendedBits() {
    return code >>> 4;
  }
}
