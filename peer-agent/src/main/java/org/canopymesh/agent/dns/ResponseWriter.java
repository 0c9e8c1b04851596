package org.canopymesh.agent.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes answers. The question is copied from the query byte for byte, and every owner name is a
 * pointer into it, so answers keep the client's spelling and need no compression table.
 */
final class ResponseWriter {
  private static final int POINTER = 0xc000;
  private static final int TXT_STRING = 255;
  private static final byte[] HOSTMASTER = "\012hostmaster".getBytes(StandardCharsets.US_ASCII);
  private static final int SOA_REFRESH = 3600;
  private static final int SOA_RETRY = 600;
  private static final int SOA_EXPIRE = 86400;

  private ResponseWriter() {}

  /**
   * The answer to {@code q}, at most {@code limit} bytes: when the records do not fit, the
   * additional section goes first (it is optional), then every section, with TC set so that the
   * client asks again over TCP.
   */
  static ByteBuf write(ByteBufAllocator alloc, Query q, Answer a, int limit) {
    MessageBuilder m = MessageBuilder.get();
    m.zeros(Header.SIZE); // the header is set once the counts are known
    m.bytes(q.message(), Header.SIZE, q.questionEnd() - Header.SIZE);
    int afterQuestion = m.length();
    writeSections(m, q, a, a.additional());
    if (m.length() > limit && !a.additional().isEmpty()) {
      m.truncate(afterQuestion);
      writeSections(m, q, a, List.of());
    }
    if (m.length() > limit) {
      m.truncate(afterQuestion);
      int ar = writeOpt(m, q, a.rcode());
      setHeader(m, q, a, true, 0, 0, ar);
    }
    return m.toBuffer(alloc);
  }

  /** The bare header of a FORMERR or NOTIMP: no question, so never larger than what came in. */
  static ByteBuf reject(ByteBufAllocator alloc, Incoming.Reject r) {
    MessageBuilder m = MessageBuilder.get();
    m.u16(r.id()).u16(responseFlags(r.flags(), r.rcode(), false, false)).zeros(8);
    return m.toBuffer(alloc);
  }

  private static void writeSections(MessageBuilder m, Query q, Answer a, List<Rr> additional) {
    writeAll(m, a.answers());
    writeAll(m, a.authority());
    writeAll(m, additional);
    int ar = additional.size() + writeOpt(m, q, a.rcode());
    setHeader(m, q, a, false, a.answers().size(), a.authority().size(), ar);
  }

  private static void setHeader(
      MessageBuilder m, Query q, Answer a, boolean truncated, int an, int ns, int ar) {
    m.setU16(0, q.id());
    m.setU16(2, responseFlags(q.flags(), a.rcode(), a.authoritative(), truncated));
    m.setU16(4, 1);
    m.setU16(6, an);
    m.setU16(8, ns);
    m.setU16(10, ar);
  }

  /** QR, the query's opcode, RD and CD echoed; RA clear: this server does not recurse. */
  private static int responseFlags(int queryFlags, Rcode rcode, boolean aa, boolean tc) {
    int f = Header.QR | (queryFlags & (Header.OPCODE | Header.RD | Header.CD));
    f |= aa ? Header.AA : 0;
    f |= tc ? Header.TC : 0;
    return f | rcode.headerBits();
  }

  /** Our OPT record if the query had one (RFC 6891 7): returns how many records it wrote. */
  private static int writeOpt(MessageBuilder m, Query q, Rcode rcode) {
    if (q.edns().isEmpty()) {
      return 0;
    }
    m.u8(0); // the root
    m.u16(RecordType.OPT.code);
    m.u16(Header.MAX_UDP);
    m.u32(rcode.extendedBits() << 24 | (q.edns().get().dnssecOk() ? 0x8000 : 0));
    m.u16(0);
    return 1;
  }

  private static void writeAll(MessageBuilder m, List<Rr> records) {
    for (Rr r : records) {
      write(m, r);
    }
  }

  private static void write(MessageBuilder m, Rr r) {
    m.u16(POINTER | (Header.SIZE + r.owner()));
    if (r instanceof Rr.Aaaa a) {
      typeClassTtl(m, RecordType.AAAA, a.ttl()).u16(16);
      m.u64(a.address().high()).u64(a.address().low());
    } else if (r instanceof Rr.Txt t) {
      typeClassTtl(m, RecordType.TXT, t.ttl());
      writeTxt(m, t.text().getBytes(StandardCharsets.UTF_8));
    } else if (r instanceof Rr.Srv s) {
      typeClassTtl(m, RecordType.SRV, s.ttl()).u16(8);
      m.u32(0); // priority, weight
      m.u16(s.port()).u16(POINTER | (Header.SIZE + s.target()));
    } else if (r instanceof Rr.Soa s) {
      typeClassTtl(m, RecordType.SOA, s.ttl()).u16(2 + HOSTMASTER.length + 2 + 20);
      int apex = POINTER | (Header.SIZE + s.owner());
      m.u16(apex); // MNAME: the zone itself; every agent is its own primary
      m.bytes(HOSTMASTER, 0, HOSTMASTER.length).u16(apex);
      m.u32((int) s.serial()).u32(SOA_REFRESH).u32(SOA_RETRY).u32(SOA_EXPIRE).u32(s.minimum());
    } else if (r instanceof Rr.Ptr p) {
      typeClassTtl(m, RecordType.PTR, p.ttl());
      int lengthAt = m.length();
      m.u16(0);
      writeName(m, p.target());
      m.setU16(lengthAt, m.length() - lengthAt - 2);
    }
  }

  private static MessageBuilder typeClassTtl(MessageBuilder m, RecordType type, int ttl) {
    return m.u16(type.code).u16(Header.CLASS_IN).u32(ttl);
  }

  /** One string per 255 bytes: a record's text is at most that, but a longer one is not lost. */
  private static void writeTxt(MessageBuilder m, byte[] text) {
    int strings = Math.max(1, (text.length + TXT_STRING - 1) / TXT_STRING);
    m.u16(text.length + strings);
    for (int i = 0; i < strings; i++) {
      int from = i * TXT_STRING;
      int len = Math.min(TXT_STRING, text.length - from);
      m.u8(len).bytes(text, from, len);
    }
  }

  /** An uncompressed name; the names we serve are checked LDH names, refused here otherwise. */
  private static void writeName(MessageBuilder m, String name) {
    byte[] b = name.getBytes(StandardCharsets.US_ASCII);
    if (b.length > 253) {
      throw new IllegalStateException("a name of " + b.length + " bytes cannot be encoded");
    }
    int start = 0;
    for (int i = 0; i <= b.length; i++) {
      if (i == b.length || b[i] == '.') {
        int len = i - start;
        if (len < 1 || len > 63) {
          throw new IllegalStateException("\"" + name + "\" has a label DNS cannot carry");
        }
        m.u8(len).bytes(b, start, len);
        start = i + 1;
      }
    }
    m.u8(0);
  }
}
