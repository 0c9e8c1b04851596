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
   *
   * @param query the query's message, its readable bytes; only read
   */
  static ByteBuf write(ByteBufAllocator alloc, ByteBuf query, Query q, Answer a, int limit) {
    ByteBuf out = alloc.ioBuffer(Math.min(limit, 512));
    try {
      writeHeaderAndQuestion(out, query, q);
      int afterQuestion = out.writerIndex();
      writeSections(out, q, a, a.additional());
      if (out.readableBytes() > limit && !a.additional().isEmpty()) {
        out.writerIndex(afterQuestion);
        writeSections(out, q, a, List.of());
      }
      if (out.readableBytes() > limit) {
        out.writerIndex(afterQuestion);
        writeTruncated(out, q, a);
      }
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /** The bare header of a FORMERR or NOTIMP: no question, so never larger than what came in. */
  static ByteBuf reject(ByteBufAllocator alloc, Incoming.Reject r) {
    ByteBuf out = alloc.ioBuffer(Header.SIZE);
    out.writeShort(r.id());
    out.writeShort(responseFlags(r.flags(), r.rcode(), false, false));
    out.writeZero(8);
    return out;
  }

  private static void writeHeaderAndQuestion(ByteBuf out, ByteBuf query, Query q) {
    out.writeZero(Header.SIZE); // filled in by setHeader once the counts are known
    out.writeBytes(query, query.readerIndex() + Header.SIZE, q.questionEnd() - Header.SIZE);
  }

  private static void writeSections(ByteBuf out, Query q, Answer a, List<Rr> additional) {
    writeAll(out, a.answers());
    writeAll(out, a.authority());
    writeAll(out, additional);
    int ar = additional.size() + writeOpt(out, q, a.rcode());
    setHeader(out, q, a, false, a.answers().size(), a.authority().size(), ar);
  }

  private static void writeTruncated(ByteBuf out, Query q, Answer a) {
    int ar = writeOpt(out, q, a.rcode());
    setHeader(out, q, a, true, 0, 0, ar);
  }

  private static void setHeader(
      ByteBuf out, Query q, Answer a, boolean truncated, int an, int ns, int ar) {
    int base = out.readerIndex();
    out.setShort(base, q.id());
    out.setShort(base + 2, responseFlags(q.flags(), a.rcode(), a.authoritative(), truncated));
    out.setShort(base + 4, 1);
    out.setShort(base + 6, an);
    out.setShort(base + 8, ns);
    out.setShort(base + 10, ar);
  }

  /** QR, the query's opcode, RD and CD echoed; RA clear: this server does not recurse. */
  private static int responseFlags(int queryFlags, Rcode rcode, boolean aa, boolean tc) {
    int f = Header.QR | (queryFlags & (Header.OPCODE | Header.RD | Header.CD));
    f |= aa ? Header.AA : 0;
    f |= tc ? Header.TC : 0;
    return f | rcode.headerBits();
  }

  /** Our OPT record if the query had one (RFC 6891 7): returns how many records it wrote. */
  private static int writeOpt(ByteBuf out, Query q, Rcode rcode) {
    if (q.edns().isEmpty()) {
      return 0;
    }
    out.writeByte(0); // the root
    out.writeShort(RecordType.OPT.code);
    out.writeShort(Header.MAX_UDP);
    int ttl = rcode.extendedBits() << 24 | (q.edns().get().dnssecOk() ? 0x8000 : 0);
    out.writeInt(ttl);
    out.writeShort(0);
    return 1;
  }

  private static void writeAll(ByteBuf out, List<Rr> records) {
    for (Rr r : records) {
      write(out, r);
    }
  }

  private static void write(ByteBuf out, Rr r) {
    out.writeShort(POINTER | (Header.SIZE + r.owner()));
    if (r instanceof Rr.Aaaa a) {
      writeTypeClassTtl(out, RecordType.AAAA, a.ttl());
      out.writeShort(16);
      out.writeLong(a.address().high());
      out.writeLong(a.address().low());
    } else if (r instanceof Rr.Txt t) {
      writeTypeClassTtl(out, RecordType.TXT, t.ttl());
      writeTxt(out, t.text().getBytes(StandardCharsets.UTF_8));
    } else if (r instanceof Rr.Srv s) {
      writeTypeClassTtl(out, RecordType.SRV, s.ttl());
      out.writeShort(8);
      out.writeInt(0); // priority, weight
      out.writeShort(s.port());
      out.writeShort(POINTER | (Header.SIZE + s.target()));
    } else if (r instanceof Rr.Soa s) {
      writeTypeClassTtl(out, RecordType.SOA, s.ttl());
      out.writeShort(2 + HOSTMASTER.length + 2 + 20);
      int apex = POINTER | (Header.SIZE + s.owner());
      out.writeShort(apex); // MNAME: the zone itself; every agent is its own primary
      out.writeBytes(HOSTMASTER).writeShort(apex);
      out.writeInt((int) s.serial());
      out.writeInt(SOA_REFRESH).writeInt(SOA_RETRY).writeInt(SOA_EXPIRE).writeInt(s.minimum());
    } else if (r instanceof Rr.Ptr p) {
      writeTypeClassTtl(out, RecordType.PTR, p.ttl());
      int lengthAt = out.writerIndex();
      out.writeShort(0);
      writeName(out, p.target());
      out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
    }
  }

  private static void writeTypeClassTtl(ByteBuf out, RecordType type, int ttl) {
    out.writeShort(type.code);
    out.writeShort(Header.CLASS_IN);
    out.writeInt(ttl);
  }

  /** One string per 255 bytes: a record's text is at most that, but a longer one is not lost. */
  private static void writeTxt(ByteBuf out, byte[] text) {
    int strings = Math.max(1, (text.length + TXT_STRING - 1) / TXT_STRING);
    out.writeShort(text.length + strings);
    for (int i = 0; i < strings; i++) {
      int from = i * TXT_STRING;
      int len = Math.min(TXT_STRING, text.length - from);
      out.writeByte(len);
      out.writeBytes(text, from, len);
    }
  }

  /** An uncompressed name; the names we serve are checked LDH names, refused here otherwise. */
  private static void writeName(ByteBuf out, String name) {
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
        out.writeByte(len).writeBytes(b, start, len);
        start = i + 1;
      }
    }
    out.writeByte(0);
  }
}
