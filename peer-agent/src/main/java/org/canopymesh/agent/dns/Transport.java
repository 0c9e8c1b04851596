package org.canopymesh.agent.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * Linux epoll where Netty's native library loads, with SO_REUSEPORT: one UDP socket per event loop
 * on the same address, and the kernel spreads clients over them, so every core answers. NIO
 * elsewhere, with one UDP socket per address.
 */
enum Transport {
  EPOLL,
  NIO;

  static Transport best() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  EventLoopGroup group(int threads, ThreadFactory threadFactory) {
    return this == EPOLL
        ? new EpollEventLoopGroup(threads, threadFactory)
        : new NioEventLoopGroup(threads, threadFactory);
  }

  Class<? extends DatagramChannel> datagramChannel() {
    return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
  }

  Class<? extends ServerSocketChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** How many UDP sockets serve one address. */
  int udpSockets(int threads) {
    return this == EPOLL ? threads : 1;
  }

  /** Options of the serving UDP sockets. */
  void configureUdp(Bootstrap b) {
    if (this == EPOLL) {
      b.option(EpollChannelOption.SO_REUSEPORT, true);
    }
  }
}
