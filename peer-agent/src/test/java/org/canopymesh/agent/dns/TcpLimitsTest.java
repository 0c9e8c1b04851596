package org.canopymesh.agent.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.dns.DnsResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.canopymesh.agent.names.NameSource;
import org.junit.jupiter.api.Test;

/** The bounds on TCP clients: queries per connection, idle time, connections at once. */
class TcpLimitsTest {
  private static final NameSource NAMES = TestNames.source();

  private static Responder responder() {
    DnsSettings settings =
        DnsSettings.of(
            List.of(new InetSocketAddress("127.0.0.1", 0)), List.of("mesh.alt"), Optional.empty());
    return DnsServer.responder(
        settings, () -> NAMES, TestNames.CLOCK, new Counters(), Optional.empty());
  }

  private static EmbeddedChannel connection(TcpHandler.ConnectionLimit limit, Duration idle) {
    return new EmbeddedChannel(DnsServer.tcpInitializer(responder(), limit, idle));
  }

  /** Every whole length-prefixed message the server wrote. */
  private static List<byte[]> answers(EmbeddedChannel ch) {
    ByteBuf stream = Unpooled.buffer();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      stream.writeBytes(b);
      b.release();
    }
    List<byte[]> out = new ArrayList<>();
    while (stream.readableBytes() >= 2) {
      byte[] m = new byte[stream.readUnsignedShort()];
      stream.readBytes(m);
      out.add(m);
    }
    return out;
  }

  @Test
  void aConnectionAnswersAtMost100QueriesThenStopsReading() {
    EmbeddedChannel ch = connection(new TcpHandler.ConnectionLimit(10), Duration.ofSeconds(10));
    ByteBuf in = Unpooled.buffer();
    for (int i = 0; i < TcpHandler.MAX_QUERIES + 1; i++) {
      byte[] q = Wire.query(i, "wiki.mesh.alt", Wire.AAAA);
      in.writeShort(q.length).writeBytes(q);
    }
    ch.writeInbound(in);
    List<byte[]> answers = answers(ch);
    assertEquals(TcpHandler.MAX_QUERIES, answers.size());
    for (int i = 0; i < answers.size(); i++) {
      DnsResponse r = Wire.decode(answers.get(i));
      assertEquals(i, r.id(), "in order");
      r.release();
    }
    assertFalse(ch.config().isAutoRead());
    ch.finishAndReleaseAll();
  }

  @Test
  void anIdleConnectionIsClosed() {
    EmbeddedChannel ch = connection(new TcpHandler.ConnectionLimit(10), Duration.ofMillis(50));
    Instant deadline = Instant.now().plusSeconds(10);
    while (ch.isOpen()) {
      assertTrue(Instant.now().isBefore(deadline), "the idle timeout closes it");
      ch.runScheduledPendingTasks();
      Thread.onSpinWait();
    }
  }

  @Test
  void connectionsOverTheLimitAreClosedAtOnce() {
    TcpHandler.ConnectionLimit limit = new TcpHandler.ConnectionLimit(2);
    EmbeddedChannel first = connection(limit, Duration.ofSeconds(10));
    EmbeddedChannel second = connection(limit, Duration.ofSeconds(10));
    EmbeddedChannel third = connection(limit, Duration.ofSeconds(10));
    assertTrue(first.isOpen() && second.isOpen());
    assertFalse(third.isOpen());
    first.close();
    EmbeddedChannel fourth = connection(limit, Duration.ofSeconds(10));
    assertTrue(fourth.isOpen(), "a closed connection frees its place");
    second.close();
    fourth.close();
  }

  @Test
  void aBrokenFrameClosesTheConnectionWithoutAnAnswer() {
    EmbeddedChannel ch = connection(new TcpHandler.ConnectionLimit(10), Duration.ofSeconds(10));
    ByteBuf in = Unpooled.buffer().writeShort(5).writeBytes(new byte[5]); // a runt message
    ch.writeInbound(in);
    assertTrue(answers(ch).isEmpty());
    ch.finishAndReleaseAll();
  }
}
