package org.canopymesh.agent.dns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers datagrams on every UDP socket. Answers are written as they are made and flushed once per
 * read batch, so the epoll transport sends a batch with one sendmmsg.
 */
@Sharable
final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger LOG = Logger.getLogger(UdpHandler.class.getName());

  private final Responder responder;
  private final RateLimiter limiter;

  UdpHandler(Responder responder, RateLimiter limiter) {
    this.responder = responder;
    this.limiter = limiter;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    InetSocketAddress client = packet.sender();
    if (!limiter.allow(client.getAddress())) {
      responder.counters().add(Counters.Event.QUERY);
      responder.counters().add(Counters.Event.RATE_LIMITED);
      return;
    }
    ByteBuf out =
        responder.respond(
            ctx.alloc(), packet.content(), false, later -> send(ctx, later, client, true));
    if (out != null) {
      send(ctx, out, client, false);
    }
  }

  private void send(
      ChannelHandlerContext ctx, ByteBuf out, InetSocketAddress client, boolean flush) {
    if (!ctx.channel().isWritable()) {
      // The socket's buffer and ours are full: answering later would only answer stale queries.
      out.release();
      responder.counters().add(Counters.Event.OVERLOADED);
      return;
    }
    DatagramPacket answer = new DatagramPacket(out, client);
    if (flush) {
      ctx.writeAndFlush(answer, ctx.voidPromise());
    } else {
      ctx.write(answer, ctx.voidPromise());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // One bad packet or failed send must not close the socket that serves everyone.
    if (responder.counters().error()) {
      LOG.log(Level.WARNING, "DNS over UDP failed on " + ctx.channel().localAddress(), cause);
    }
  }
}
