package org.canopymesh.agent.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.canopymesh.agent.names.Lookup;
import org.canopymesh.agent.names.NameSource;

/**
 * Why the server parses and builds messages itself: the CPU cost of one AAAA query through Netty's
 * DNS codec (DatagramDnsQueryDecoder, a DatagramDnsResponse, DatagramDnsResponseEncoder) against
 * the server's own handler, both in an EmbeddedChannel on one thread, no sockets.
 *
 * <pre>java -cp TEST_CLASSPATH org.canopymesh.agent.dns.DnsCodecBench [QUERIES]</pre>
 */
public final class DnsCodecBench {
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

  private DnsCodecBench() {}

  public static void main(String[] args) {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
    NameSource names = NameSource.of(DnsBenchServer.names(1000, TestNames.NOW.plusSeconds(86400)));
    byte[][] queries = new byte[1000][];
    for (int i = 0; i < queries.length; i++) {
      queries[i] = Wire.query(i, "n" + i + ".mesh.alt", Wire.AAAA);
    }
    DnsSettings settings =
        DnsSettings.of(List.of(SERVER), List.of(DnsBenchServer.ZONE), Optional.empty());
    Responder responder =
        DnsServer.responder(
            settings, () -> names, TestNames.CLOCK, new Counters(), Optional.empty());
    for (int round = 0; round < 3; round++) {
      EmbeddedChannel ours =
          new EmbeddedChannel(
              new UdpHandler(
                  responder, new RateLimiter(DnsSettings.RateLimit.DEFAULT, TestNames.CLOCK)));
      EmbeddedChannel netty =
          new EmbeddedChannel(
              new DatagramDnsQueryDecoder(),
              new DatagramDnsResponseEncoder(),
              new NettyCodecHandler(names));
      System.out.printf(
          "round %d: own parsing %.0f ns/query, Netty's codec %.0f ns/query%n",
          round, nanosPerQuery(ours, queries, n), nanosPerQuery(netty, queries, n));
    }
  }

  private static double nanosPerQuery(EmbeddedChannel ch, byte[][] queries, int n) {
    Instant start = Instant.now();
    for (int i = 0; i < n; i++) {
      byte[] q = queries[i % queries.length];
      ch.writeInbound(
          new DatagramPacket(ch.alloc().buffer(q.length).writeBytes(q), SERVER, CLIENT));
      DatagramPacket out = ch.readOutbound();
      if (out == null || out.content().readableBytes() < 40) {
        throw new IllegalStateException("no answer to query " + i);
      }
      out.release();
    }
    return (double) Duration.between(start, Instant.now()).toNanos() / n;
  }

  /** The same AAAA answer the way Netty's codec is meant to be used. */
  private static final class NettyCodecHandler
      extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    private final NameSource names;

    NettyCodecHandler(NameSource names) {
      this.names = names;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      DnsQuestion q = query.recordAt(DnsSection.QUESTION);
      DatagramDnsResponse r =
          new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      r.setAuthoritativeAnswer(true);
      r.addRecord(DnsSection.QUESTION, q);
      String name = q.name().toLowerCase(Locale.ROOT);
      name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
      if (names.lookup(name, TestNames.NOW) instanceof Lookup.Resolved found) {
        ByteBuf address = Unpooled.wrappedBuffer(found.name().address().bytes());
        r.addRecord(
            DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), DnsRecordType.AAAA, 300, address));
      }
      ctx.writeAndFlush(r);
    }
  }
}
