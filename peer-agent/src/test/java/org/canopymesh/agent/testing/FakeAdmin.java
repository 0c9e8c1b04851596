package org.canopymesh.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for a Yggdrasil admin socket that answers each connection with a scripted behaviour: a
 * fixture, a reply in pieces, silence, garbage. It records the requests it got.
 */
public final class FakeAdmin implements AutoCloseable {
  /** What the server does with one connection after reading the request line. */
  @FunctionalInterface
  public interface Behaviour {
    void answer(String request, OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocketChannel server;
  private final URI uri;
  private final Thread thread;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private FakeAdmin(ServerSocketChannel server, URI uri, Behaviour behaviour) {
    this.server = server;
    this.uri = uri;
    this.thread = new Thread(() -> serve(behaviour), "fake-admin");
    thread.setDaemon(true);
    thread.start();
  }

  /** On a free TCP port of 127.0.0.1. */
  public static FakeAdmin tcp(Behaviour behaviour) {
    try {
      ServerSocketChannel s = ServerSocketChannel.open();
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
      return new FakeAdmin(s, URI.create("tcp://127.0.0.1:" + port), behaviour);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** On a Unix socket at {@code path}. */
  public static FakeAdmin unix(Path path, Behaviour behaviour) {
    try {
      ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      s.bind(UnixDomainSocketAddress.of(path));
      return new FakeAdmin(s, URI.create("unix://" + path.toAbsolutePath()), behaviour);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers with {@code reply} and closes, as Yggdrasil does without keepalive. */
  public static Behaviour replying(byte[] reply) {
    return (request, out) -> out.write(reply);
  }

  /** Reads the request and never answers; the connection stays open until the server closes. */
  public static final Behaviour HANG = (request, out) -> new CountDownLatch(1).await();

  public URI uri() {
    return uri;
  }

  /** The request lines received, in order. */
  public List<String> requests() {
    return requests;
  }

  private void serve(Behaviour behaviour) {
    while (server.isOpen()) {
      try (SocketChannel c = server.accept()) {
        InputStream in = Channels.newInputStream(c);
        String request = readLine(in);
        requests.add(request);
        OutputStream out = Channels.newOutputStream(c);
        behaviour.answer(request, out);
        out.flush();
      } catch (IOException | InterruptedException e) {
        // The client gave up or the server closed; serve the next connection.
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    thread.interrupt();
  }
}
