package org.canopymesh.agent.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Relays queries for names that are not ours to the upstream resolver over UDP, from one socket,
 * with a fresh random ID each; an answer is accepted only from the upstream's address and port,
 * with an outstanding ID and the same question. A query the upstream does not answer in time gets
 * SERVFAIL; so does one that would exceed {@link #MAX_OUTSTANDING}, which bounds memory when the
 * upstream is slow or gone. Clients asking over TCP are relayed over UDP too; an answer too big for
 * UDP reaches them truncated (TC), and their stub asks the upstream directly if it cares.
 */
final class Forwarder implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  static final int MAX_OUTSTANDING = 1024;
  private static final int IDS = 65536;

  private final InetSocketAddress upstream;
  private final Counters counters;
  private final Duration timeout;
  private final Pending[] pending = new Pending[IDS];
  private int outstanding;
  private Channel channel;

  /** One query in flight; {@code timeout} is set under the lock right after it is created. */
  private static final class Pending {
    final Query q;
    final int limit;
    final Consumer<ByteBuf> reply;
    ScheduledFuture<?> timeout;

    Pending(Query q, int limit, Consumer<ByteBuf> reply) {
      this.q = q;
      this.limit = limit;
      this.reply = reply;
    }
  }

  private Forwarder(InetSocketAddress upstream, Counters counters, Duration timeout) {
    this.upstream = upstream;
    this.counters = counters;
    this.timeout = timeout;
  }

  static Forwarder start(
      EventLoopGroup group,
      Transport transport,
      InetSocketAddress upstream,
      Counters counters,
      Duration timeout) {
    Forwarder f = new Forwarder(upstream, counters, timeout);
    InetSocketAddress local =
        new InetSocketAddress(upstream.getAddress() instanceof Inet6Address ? "::" : "0.0.0.0", 0);
    ChannelFuture bound =
        new Bootstrap()
            .group(group)
            .channel(transport.datagramChannel())
            .handler(f.new Answers())
            .bind(local)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw DnsBindException.of(local, "UDP", bound.cause());
    }
    f.channel = bound.channel();
    return f;
  }

  /**
   * Sends the client's query upstream; {@code reply} later gets the answer, which it then owns, at
   * most {@code limit} bytes.
   */
  void forward(Query q, int limit, Consumer<ByteBuf> reply) {
    Pending p = new Pending(q, limit, reply);
    int id;
    synchronized (this) {
      if (outstanding >= MAX_OUTSTANDING) {
        id = -1;
      } else {
        id = freeId();
        pending[id] = p;
        outstanding++;
        int key = id;
        p.timeout =
            channel
                .eventLoop()
                .schedule(() -> expire(key, p), timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (id < 0) {
      answer(p, Answer.error(Rcode.SERVFAIL), p.limit);
      return;
    }
    counters.add(Counters.Event.FORWARDED);
    byte[] m = q.message();
    ByteBuf out = channel.alloc().ioBuffer(m.length).writeBytes(m);
    out.setShort(0, id);
    channel.writeAndFlush(new DatagramPacket(out, upstream));
  }

  /** A random ID not in flight; there are at least 64 times more IDs than queries in flight. */
  private int freeId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (true) {
      int id = r.nextInt(IDS);
      if (pending[id] == null) {
        return id;
      }
    }
  }

  private void expire(int id, Pending p) {
    synchronized (this) {
      if (pending[id] != p) {
        return; // answered meanwhile
      }
      pending[id] = null;
      outstanding--;
    }
    answer(p, Answer.error(Rcode.SERVFAIL), p.limit);
  }

  /** Our own answer to a forwarded query: SERVFAIL, or TC when the upstream's is too big. */
  private void answer(Pending p, Answer a, int limit) {
    ByteBuf out = ResponseWriter.write(channel.alloc(), p.q, a, limit);
    counters.response(out, a.rcode());
    p.reply.accept(out);
  }

  /** The upstream's answers, matched to what is in flight. */
  private final class Answers extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      ByteBuf r = packet.content();
      if (!upstream.equals(packet.sender()) || r.readableBytes() < Header.SIZE) {
        return;
      }
      Pending p = take(r);
      if (p == null) {
        return;
      }
      if (r.readableBytes() > p.limit) {
        answer(p, Answer.error(Rcode.NOERROR), 0); // no records fit: TC
        return;
      }
      ByteBuf out = r.retainedDuplicate();
      out.setShort(out.readerIndex(), p.q.id());
      counters.forwardedResponse(out);
      p.reply.accept(out);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // ICMP errors and the like: the query times out, the socket stays.
    }
  }

  /** The query that {@code r} answers, removed from the table; null if it answers none. */
  private synchronized Pending take(ByteBuf r) {
    int base = r.readerIndex();
    int id = r.getUnsignedShort(base);
    Pending p = pending[id];
    if (p == null || Header.isQuery(r.getUnsignedShort(base + 2)) || !sameQuestion(r, p)) {
      return null;
    }
    pending[id] = null;
    outstanding--;
    p.timeout.cancel(false);
    return p;
  }

  private static boolean sameQuestion(ByteBuf r, Pending p) {
    int end = p.q.questionEnd();
    if (r.readableBytes() < end) {
      return false;
    }
    for (int i = Header.SIZE; i < end; i++) {
      if (r.getByte(r.readerIndex() + i) != p.q.message()[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
