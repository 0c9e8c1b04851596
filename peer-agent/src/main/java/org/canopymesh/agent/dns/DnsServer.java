package org.canopymesh.agent.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.canopymesh.agent.names.NameSource;

/**
 * The agent's DNS server: authoritative for the configured zones (names from the verified log),
 * {@code .meship} and the PTR names of 200::/7; everything else is forwarded to the upstream or
 * refused. It listens on UDP and TCP on every address of {@link DnsSettings#listen()} and runs on
 * one event loop per core.
 */
public final class DnsServer implements AutoCloseable {
  /** TCP connections open at once; more are closed when accepted. */
  static final int MAX_TCP_CONNECTIONS = 256;

  /** A TCP connection with nothing to read or write for this long is closed (RFC 7766 6.2.3). */
  static final Duration TCP_IDLE = Duration.ofSeconds(10);

  private static final int PORT_ATTEMPTS = 10;

  private final EventLoopGroup group;
  private final Counters counters;
  private final List<Channel> channels = new ArrayList<>();
  private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
  private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Transport transport;
  private Optional<Forwarder> forwarder = Optional.empty();

  private DnsServer(EventLoopGroup group, Transport transport) {
    this.group = group;
    this.transport = transport;
    this.counters = new Counters();
  }

  /**
   * Binds every listen address and starts answering.
   *
   * @param names the current name snapshot, read once per query (sync replaces it whole)
   * @param clock the time that decides expiry and TTLs, and drives the rate limiter
   * @throws DnsBindException when an address cannot be bound; nothing is left open then
   */
  public static DnsServer start(DnsSettings settings, Supplier<NameSource> names, Clock clock) {
    return start(settings, names, clock, Transport.best());
  }

  /** {@link #start(DnsSettings, Supplier, Clock)} on a given transport (tests try both). */
  static DnsServer start(
      DnsSettings settings, Supplier<NameSource> names, Clock clock, Transport transport) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    EventLoopGroup group = transport.group(threads, new DefaultThreadFactory("canopy-dns", true));
    DnsServer server = new DnsServer(group, transport);
    try {
      server.forwarder =
          settings
              .upstream()
              .map(u -> Forwarder.start(group, transport, u, server.counters, Forwarder.TIMEOUT));
      Responder responder = responder(settings, names, clock, server.counters, server.forwarder);
      UdpHandler udp = new UdpHandler(responder, new RateLimiter(settings.rateLimit(), clock));
      TcpHandler.ConnectionLimit limit = new TcpHandler.ConnectionLimit(MAX_TCP_CONNECTIONS);
      for (InetSocketAddress a : settings.listen()) {
        server.listen(a, threads, udp, tcpInitializer(responder, limit, TCP_IDLE));
      }
      return server;
    } catch (Throwable e) { // Netty rethrows checked exceptions unchecked; close on any of them
      server.close();
      throw e;
    }
  }

  /** The part that answers messages, whatever carries them. */
  static Responder responder(
      DnsSettings settings,
      Supplier<NameSource> names,
      Clock clock,
      Counters counters,
      Optional<Forwarder> forwarder) {
    Resolver resolver =
        new Resolver(
            new Zones(settings.zones()), names, clock, settings.maxTtl(), forwarder.isPresent());
    return new Responder(resolver, forwarder, counters);
  }

  /** The UDP address of each listen address, with the port actually bound. */
  public List<InetSocketAddress> udpAddresses() {
    return List.copyOf(udpAddresses);
  }

  /** The TCP address of each listen address; the same port as UDP. */
  public List<InetSocketAddress> tcpAddresses() {
    return List.copyOf(tcpAddresses);
  }

  public DnsCounters counters() {
    return counters.snapshot();
  }

  /** Stops listening and ends the event loops; queries in flight are dropped. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    channels.forEach(c -> c.close().awaitUninterruptibly());
    forwarder.ifPresent(Forwarder::close);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  /**
   * TCP first, then UDP on the same port: with port 0, TCP picks a free port and UDP follows it,
   * trying again with another port if that one is taken for UDP.
   */
  private void listen(
      InetSocketAddress address, int threads, UdpHandler udp, ChannelInitializer<Channel> tcpInit) {
    int attempts = address.getPort() == 0 ? PORT_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      Channel tcp = bindTcp(address, tcpInit);
      InetSocketAddress bound = (InetSocketAddress) tcp.localAddress();
      InetSocketAddress udpAddress = new InetSocketAddress(address.getAddress(), bound.getPort());
      List<Channel> bundle = new ArrayList<>(List.of(tcp));
      try {
        for (int i = 0; i < transport.udpSockets(threads); i++) {
          bundle.add(bindUdp(udpAddress, udp));
        }
      } catch (DnsBindException e) {
        bundle.forEach(c -> c.close().awaitUninterruptibly());
        if (attempt >= attempts) {
          throw e;
        }
        continue; // port 0: the port TCP got is taken for UDP; take another
      }
      channels.addAll(bundle);
      tcpAddresses.add(bound);
      udpAddresses.add(udpAddress);
      return;
    }
  }

  private Channel bindTcp(InetSocketAddress address, ChannelInitializer<Channel> init) {
    ChannelFuture f =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 128)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 << 10, 64 << 10))
            .childHandler(init)
            .bind(address)
            .awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw DnsBindException.of(address, "TCP", f.cause());
    }
    return f.channel();
  }

  private Channel bindUdp(InetSocketAddress address, UdpHandler handler) {
    Bootstrap b =
        new Bootstrap().group(group).channel(transport.datagramChannel()).handler(handler);
    b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 512 << 10));
    transport.configureUdp(b);
    ChannelFuture f = b.bind(address).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw DnsBindException.of(address, "UDP", f.cause());
    }
    return f.channel();
  }

  /** The pipeline of each TCP connection. */
  static ChannelInitializer<Channel> tcpInitializer(
      Responder responder, TcpHandler.ConnectionLimit limit, Duration idle) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline()
            .addLast(limit)
            .addLast(new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS))
            .addLast(new LengthFieldPrepender(2))
            .addLast(new LengthFieldBasedFrameDecoder(Header.MAX_TCP, 0, 2, 0, 2))
            .addLast(new TcpHandler(responder));
      }
    };
  }
}
