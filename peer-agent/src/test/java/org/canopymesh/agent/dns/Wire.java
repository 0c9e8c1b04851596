package org.canopymesh.agent.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DnsResponse;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Queries built byte by byte (any spelling, any header), and answers parsed by Netty's own DNS
 * decoder, which knows nothing of ours.
 */
final class Wire {
  static final int AAAA = 28;
  static final int TXT = 16;
  static final int SRV = 33;
  static final int NO_EDNS = -1;
  private static final InetSocketAddress SOMEWHERE = new InetSocketAddress("127.0.0.1", 53);

  private Wire() {}

  static byte[] query(int id, String name, int type) {
    return query(id, 0x0100, name, type, NO_EDNS);
  }

  /**
   * A query; {@code flags} as in the header (0x0100 is RD), {@code payload} the OPT record's UDP
   * size or {@link #NO_EDNS}.
   */
  static byte[] query(int id, int flags, String name, int type, int payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, id);
    u16(out, flags);
    u16(out, 1);
    u16(out, 0);
    u16(out, 0);
    u16(out, payload == NO_EDNS ? 0 : 1);
    name(out, name);
    u16(out, type);
    u16(out, 1);
    if (payload != NO_EDNS) {
      out.write(0);
      u16(out, 41);
      u16(out, payload);
      u16(out, 0);
      u16(out, 0);
      u16(out, 0);
    }
    return out.toByteArray();
  }

  static void name(ByteArrayOutputStream out, String name) {
    if (!name.isEmpty()) {
      for (String label : name.split("\\.")) {
        byte[] b = label.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b.length);
        out.write(b, 0, b.length);
      }
    }
    out.write(0);
  }

  static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  /**
   * {@code answer} parsed by Netty; throws if it does not parse. The caller releases the response.
   */
  static DnsResponse decode(byte[] answer) {
    EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsResponseDecoder());
    try {
      ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(answer), SOMEWHERE, SOMEWHERE));
      DnsResponse r = ch.readInbound();
      if (r == null) {
        throw new AssertionError("Netty's decoder made nothing of the answer");
      }
      return r;
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), out);
    return out;
  }
}
