package org.canopymesh.agent.dns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One TCP connection's messages (already split by their length prefix). A connection answers at
 * most {@link #MAX_QUERIES} queries, then stops reading: the client gets its answers and closes, or
 * the idle timeout closes it. Reading also pauses while the client does not read its answers.
 */
final class TcpHandler extends ChannelInboundHandlerAdapter {
  static final int MAX_QUERIES = 100;

  private final Responder responder;
  private int queries;

  TcpHandler(Responder responder) {
    this.responder = responder;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf message = (ByteBuf) msg;
    try {
      if (++queries > MAX_QUERIES) {
        return; // frames decoded from the last read, after the limit
      }
      if (queries == MAX_QUERIES) {
        ctx.channel().config().setAutoRead(false);
      }
      ByteBuf out =
          responder.respond(
              ctx.alloc(), message, true, later -> ctx.channel().writeAndFlush(later));
      if (out != null) {
        ctx.write(out);
      }
    } finally {
      message.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (queries < MAX_QUERIES) {
      ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a reset, or a client that broke the framing
  }

  /** Closes connections over the limit as soon as they are accepted. */
  @Sharable
  static final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private final AtomicInteger open = new AtomicInteger();
    private final int max;

    ConnectionLimit(int max) {
      this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (open.incrementAndGet() > max) {
        ctx.close();
        return;
      }
      ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      open.decrementAndGet();
      ctx.fireChannelInactive();
    }
  }
}
