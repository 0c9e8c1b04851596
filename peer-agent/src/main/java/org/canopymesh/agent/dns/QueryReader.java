package org.canopymesh.agent.dns;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Parses a received message straight from its buffer. Every read is bounds-checked against the
 * message: a hostile packet gets FORMERR or is dropped, never an exception. The question may not
 * use compression (nothing precedes it to point at, so a pointer there is garbage or a loop), and
 * names in the additional section are skipped, never followed.
 */
final class QueryReader {
  private static final int MAX_NAME_WIRE = 255;
  private static final int LABEL_TYPE = 0xc0;
  private static final int POINTER = 0xc0;

  private QueryReader() {}

  /** The message's bytes are {@code m}'s readable bytes; its indices are left unchanged. */
  static Incoming read(ByteBuf m) {
    int base = m.readerIndex();
    int n = m.readableBytes();
    if (n < Header.SIZE) {
      return Incoming.Drop.DROP;
    }
    int id = m.getUnsignedShort(base);
    int flags = m.getUnsignedShort(base + 2);
    if (!Header.isQuery(flags)) {
      return Incoming.Drop.DROP;
    }
    if (Header.opcode(flags) != 0) {
      return new Incoming.Reject(id, flags, Rcode.NOTIMP);
    }
    Incoming.Reject formErr = new Incoming.Reject(id, flags, Rcode.FORMERR);
    int qd = m.getUnsignedShort(base + 4);
    int an = m.getUnsignedShort(base + 6);
    int ns = m.getUnsignedShort(base + 8);
    int ar = m.getUnsignedShort(base + 10);
    if (qd != 1 || an != 0 || ns != 0) {
      return formErr;
    }
    int nameEnd = questionNameEnd(m, base, n);
    if (nameEnd < 0 || nameEnd + 4 > n) {
      return formErr;
    }
    String name = lowerCaseName(m, base, nameEnd);
    int type = m.getUnsignedShort(base + nameEnd);
    int qclass = m.getUnsignedShort(base + nameEnd + 2);
    int questionEnd = nameEnd + 4;
    Optional<Query.Edns> edns = Optional.empty();
    int p = questionEnd;
    for (int i = 0; i < ar; i++) {
      int nameStart = p;
      p = skipName(m, base, n, p);
      if (p < 0 || p + 10 > n) {
        return formErr;
      }
      boolean rootOwner = p == nameStart + 1;
      int rrType = m.getUnsignedShort(base + p);
      int rrClass = m.getUnsignedShort(base + p + 2);
      int ttl = m.getInt(base + p + 4);
      int rdLength = m.getUnsignedShort(base + p + 8);
      p += 10 + rdLength;
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
    return new Query(id, flags, name, questionEnd, type, qclass, edns);
  }

  /** The offset after the question's name, or -1 if it is not a plain uncompressed name. */
  private static int questionNameEnd(ByteBuf m, int base, int n) {
    int p = Header.SIZE;
    while (true) {
      if (p >= n) {
        return -1;
      }
      int len = m.getUnsignedByte(base + p);
      if (len == 0) {
        return p + 1;
      }
      if ((len & LABEL_TYPE) != 0 || p + 1 + len > n) {
        return -1;
      }
      p += 1 + len;
      if (p + 1 - Header.SIZE > MAX_NAME_WIRE) {
        return -1;
      }
    }
  }

  /** The offset after a name that may end in a pointer, or -1; pointers are not followed. */
  private static int skipName(ByteBuf m, int base, int n, int p) {
    while (true) {
      if (p >= n) {
        return -1;
      }
      int len = m.getUnsignedByte(base + p);
      if (len == 0) {
        return p + 1;
      }
      if ((len & LABEL_TYPE) == POINTER) {
        return p + 2 <= n ? p + 2 : -1;
      }
      if ((len & LABEL_TYPE) != 0) {
        return -1;
      }
      p += 1 + len;
    }
  }

  /** The question's name as text, one character per wire byte (see {@link Query#name()}). */
  private static String lowerCaseName(ByteBuf m, int base, int nameEnd) {
    int length = nameEnd - Header.SIZE - 2; // no first length byte, no final root byte
    if (length <= 0) {
      return "";
    }
    byte[] text = new byte[length];
    int p = Header.SIZE;
    int o = 0;
    while (true) {
      int len = m.getUnsignedByte(base + p);
      if (len == 0) {
        break;
      }
      if (o > 0) {
        text[o++] = '.';
      }
      for (int i = 1; i <= len; i++) {
        byte b = m.getByte(base + p + i);
        text[o++] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b == '.' ? 0 : b;
      }
      p += 1 + len;
    }
    return new String(text, StandardCharsets.ISO_8859_1);
  }
}
