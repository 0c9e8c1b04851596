package org.canopymesh.agent.dns;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Parses a received message. Every read is checked against the message's length: a hostile packet
 * gets FORMERR or is dropped, never an exception. The question may not use compression (nothing
 * precedes it to point at, so a pointer there is garbage or a loop), and names in the additional
 * section are skipped, never followed.
 */
final class QueryReader {
  private static final int MAX_NAME_WIRE = 255;
  private static final int LABEL_TYPE = 0xc0;
  private static final int POINTER = 0xc0;

  private QueryReader() {}

  /** Reads {@code m}, a whole message, which the returned query keeps (not copied). */
  static Incoming read(byte[] m) {
    int n = m.length;
    if (n < Header.SIZE) {
      return Incoming.Drop.DROP;
    }
    int id = u16(m, 0);
    int flags = u16(m, 2);
    if (!Header.isQuery(flags)) {
      return Incoming.Drop.DROP;
    }
    if (Header.opcode(flags) != 0) {
      return new Incoming.Reject(id, flags, Rcode.NOTIMP);
    }
    Incoming.Reject formErr = new Incoming.Reject(id, flags, Rcode.FORMERR);
    if (u16(m, 4) != 1 || u16(m, 6) != 0 || u16(m, 8) != 0) {
      return formErr; // one question, and nothing in the answer and authority sections
    }
    int nameEnd = questionNameEnd(m);
    if (nameEnd < 0 || nameEnd + 4 > n) {
      return formErr;
    }
    int questionEnd = nameEnd + 4;
    Optional<Query.Edns> edns = Optional.empty();
    int p = questionEnd;
    for (int i = u16(m, 10); i > 0; i--) {
      int nameStart = p;
      p = skipName(m, p);
      if (p < 0 || p + 10 > n) {
        return formErr;
      }
      boolean rootOwner = p == nameStart + 1;
      int rrType = u16(m, p);
      int rrClass = u16(m, p + 2);
      int ttl = u16(m, p + 4) << 16 | u16(m, p + 6);
      p += 10 + u16(m, p + 8);
      if (p > n) {
        return formErr;
      }
      if (rrType == RecordType.OPT.code) {
        if (edns.isPresent() || !rootOwner) {
          return formErr; // RFC 6891 6.1.1: one OPT, owned by the root
        }
        edns = Optional.of(new Query.Edns(rrClass, (ttl >>> 16) & 0xff, (ttl & 0x8000) != 0));
      }
    }
    return new Query(
        m,
        id,
        flags,
        lowerCaseName(m, nameEnd),
        questionEnd,
        u16(m, nameEnd),
        u16(m, nameEnd + 2),
        edns);
  }

  private static int u16(byte[] m, int i) {
    return (m[i] & 0xff) << 8 | (m[i + 1] & 0xff);
  }

  /** The offset after the question's name, or -1 if it is not a plain uncompressed name. */
  private static int questionNameEnd(byte[] m) {
    int p = Header.SIZE;
    while (true) {
      if (p >= m.length) {
        return -1;
      }
      int len = m[p] & 0xff;
      if (len == 0) {
        return p + 1;
      }
      if ((len & LABEL_TYPE) != 0 || p + 1 + len > m.length) {
        return -1;
      }
      p += 1 + len;
      if (p + 1 - Header.SIZE > MAX_NAME_WIRE) {
        return -1;
      }
    }
  }

  /** The offset after a name that may end in a pointer, or -1; pointers are not followed. */
  private static int skipName(byte[] m, int p) {
    while (true) {
      if (p >= m.length) {
        return -1;
      }
      int len = m[p] & 0xff;
      if (len == 0) {
        return p + 1;
      }
      if ((len & LABEL_TYPE) == POINTER) {
        return p + 2 <= m.length ? p + 2 : -1;
      }
      if ((len & LABEL_TYPE) != 0) {
        return -1;
      }
      p += 1 + len;
    }
  }

  /** The question's name as text, one character per wire byte (see {@link Query#name()}). */
  private static String lowerCaseName(byte[] m, int nameEnd) {
    int length = nameEnd - Header.SIZE - 2; // no first length byte, no final root byte
    if (length <= 0) {
      return "";
    }
    byte[] text = new byte[length];
    int p = Header.SIZE;
    int next = p + 1 + (m[p] & 0xff); // where the next label's length byte is
    for (int o = 0; o < length; o++) {
      int i = p + 1 + o;
      byte b = m[i];
      if (i == next) {
        text[o] = '.';
        next = i + 1 + (b & 0xff);
      } else {
        text[o] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b == '.' ? 0 : b;
      }
    }
    return new String(text, StandardCharsets.ISO_8859_1);
  }
}
