package org.canopymesh.agent.dns;

/**
 * A strict structural parser of a whole DNS message, written for the tests and sharing nothing with
 * the server: the header's counts match the sections, every name ends inside the message,
 * compression pointers only point backwards (no loops), names are at most 255 bytes, each record's
 * data is exactly as long as it says and well-formed for the types the server writes, an OPT is the
 * root's and last, and nothing follows the last record.
 */
final class ResponseCheck {
  private final byte[] m;
  private int p;

  private ResponseCheck(byte[] m) {
    this.m = m;
  }

  /** Throws {@link IllegalArgumentException} saying what is wrong with {@code m}. */
  static void parse(byte[] m) {
    new ResponseCheck(m).all();
  }

  private void all() {
    need(Header.SIZE);
    int qd = u16(4);
    int records = u16(6) + u16(8) + u16(10);
    p = Header.SIZE;
    for (int i = 0; i < qd; i++) {
      name();
      need(4);
      p += 4;
    }
    for (int i = 0; i < records; i++) {
      boolean root = m[p] == 0;
      name();
      need(10);
      int type = u16(p);
      int rdLength = u16(p + 8);
      p += 10;
      need(rdLength);
      int end = p + rdLength;
      rdata(type, rdLength);
      if (p != end) {
        throw new IllegalArgumentException("record data of type " + type + " is not " + rdLength);
      }
      if (type == 41 && (!root || i != records - 1)) {
        throw new IllegalArgumentException("an OPT record not the root's, or not last");
      }
    }
    if (p != m.length) {
      throw new IllegalArgumentException((m.length - p) + " bytes after the last record");
    }
  }

  private void rdata(int type, int length) {
    switch (type) {
      case 28 -> p += expect(length, 16);
      case 12 -> name();
      case 33 -> {
        need(6);
        p += 6;
        name();
      }
      case 6 -> {
        name();
        name();
        need(20);
        p += 20;
      }
      case 16 -> {
        int end = p + length;
        while (p < end) {
          p += 1 + (m[p] & 0xff);
        }
      }
      default -> p += length;
    }
  }

  private int expect(int length, int wanted) {
    if (length != wanted) {
      throw new IllegalArgumentException("record data of " + length + " bytes, not " + wanted);
    }
    return length;
  }

  /** Skips a name at p, following pointers only backwards to check where they lead. */
  private void name() {
    int at = p;
    int total = 0;
    boolean jumped = false;
    int lowest = p;
    while (true) {
      if (at >= m.length) {
        throw new IllegalArgumentException("a name runs off the end");
      }
      int len = m[at] & 0xff;
      if ((len & 0xc0) == 0xc0) {
        if (at + 1 >= m.length) {
          throw new IllegalArgumentException("a pointer runs off the end");
        }
        int target = (len & 0x3f) << 8 | (m[at + 1] & 0xff);
        if (target >= lowest) {
          throw new IllegalArgumentException("a pointer forwards or in a loop: " + target);
        }
        if (!jumped) {
          p = at + 2;
          jumped = true;
        }
        lowest = target;
        at = target;
        continue;
      }
      if ((len & 0xc0) != 0) {
        throw new IllegalArgumentException("a label of type " + (len >>> 6));
      }
      total += len + 1;
      if (total > 255) {
        throw new IllegalArgumentException("a name over 255 bytes");
      }
      if (len == 0) {
        if (!jumped) {
          p = at + 1;
        }
        return;
      }
      at += len + 1;
    }
  }

  private void need(int n) {
    if (p + n > m.length) {
      throw new IllegalArgumentException("the message ends early at " + p);
    }
  }

  private int u16(int i) {
    if (i + 2 > m.length) {
      throw new IllegalArgumentException("the message ends early at " + i);
    }
    return (m[i] & 0xff) << 8 | (m[i + 1] & 0xff);
  }
}
