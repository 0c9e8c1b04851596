package org.canopymesh.agent.report;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.canopymesh.agent.json.JsonException;
import org.canopymesh.agent.json.JsonTree;

/**
 * A small blocking client for the local Yggdrasil node's admin socket, {@code unix:///path} or
 * {@code tcp://host:port}: one connection and one request per call, each bounded by a deadline
 * (connect, send and reply together) and a reply size. Speaks 0.4 and 0.5; the dialect is told from
 * the shape of the replies. Thread-safe: calls share nothing.
 */
public final class AdminClient {
  /** Local calls take milliseconds; a node that does not answer in 5 s is stuck. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** {@code getPeers} of a node with a thousand peers is about 400 KiB in 0.5. */
  public static final int DEFAULT_MAX_REPLY_BYTES = 1 << 20;

  private static final int MAX_DEPTH = 32;

  private final URI endpoint;
  private final Duration timeout;
  private final int maxReplyBytes;

  public AdminClient(URI endpoint) {
    this(endpoint, DEFAULT_TIMEOUT, DEFAULT_MAX_REPLY_BYTES);
  }

  /**
   * @param endpoint {@code unix:///path/to/yggdrasil.sock} or {@code tcp://host:port}
   * @param timeout the whole of one call: connect, request and complete reply
   * @param maxReplyBytes the largest reply read
   */
  public AdminClient(URI endpoint, Duration timeout, int maxReplyBytes) {
    if (timeout.isNegative() || timeout.isZero() || maxReplyBytes < 1024) {
      throw new IllegalArgumentException(
          "an admin client needs a positive timeout and at least 1 KiB of reply, not "
              + timeout
              + " and "
              + maxReplyBytes);
    }
    address(endpoint); // fail at construction on a malformed endpoint, not at the first call
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.maxReplyBytes = maxReplyBytes;
  }

  /** {@code getSelf}: the local node's key and address, and the dialect it speaks. */
  public SelfInfo self() {
    return AdminReplies.self(call("getSelf"));
  }

  /** {@code getPeers}: every peering of the local node, connected or (0.5) configured and down. */
  public List<PeerInfo> peers() {
    return AdminReplies.peers(call("getPeers"));
  }

  /**
   * Sends {@code {"request": name, "arguments": {}}}: 0.4.5 and 0.4.6 refuse requests without
   * {@code arguments}, and every version matches names without regard to case. No {@code
   * keepalive}, so the node closes the connection after its reply.
   */
  private Map<?, ?> call(String request) {
    byte[] body =
        ("{\"request\":\"" + request + "\",\"arguments\":{}}\n").getBytes(StandardCharsets.UTF_8);
    byte[] reply = exchange(request, body);
    Object tree;
    try {
      tree = JsonTree.parse(reply, new JsonTree.Limits(maxReplyBytes, MAX_DEPTH, 64 << 10));
    } catch (JsonException e) {
      throw new AdminException(
          AdminException.Kind.PROTOCOL,
          request + ": the reply is not usable JSON: " + e.getMessage());
    }
    return AdminReplies.response(tree, request);
  }

  private byte[] exchange(String request, byte[] body) {
    long deadline = System.nanoTime() + timeout.toNanos();
    SocketAddress address = address(endpoint);
    try (SocketChannel channel = open(address);
        Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      SelectionKey key = channel.register(selector, 0);
      if (!channel.connect(address)) {
        while (!channel.finishConnect()) {
          await(selector, key, SelectionKey.OP_CONNECT, deadline, request, "connecting");
        }
      }
      ByteBuffer out = ByteBuffer.wrap(body);
      while (out.hasRemaining()) {
        if (channel.write(out) == 0) {
          await(selector, key, SelectionKey.OP_WRITE, deadline, request, "sending the request");
        }
      }
      return read(channel, selector, key, deadline, request);
    } catch (AdminException e) {
      throw e;
    } catch (IOException e) {
      throw connectError(e);
    } catch (UnresolvedAddressException e) {
      throw new AdminException(
          AdminException.Kind.CONNECT,
          "cannot reach " + endpoint + ": the host name does not resolve");
    }
  }

  private byte[] read(
      SocketChannel channel, Selector selector, SelectionKey key, long deadline, String request)
      throws IOException {
    JsonFramer framer = new JsonFramer(maxReplyBytes, MAX_DEPTH);
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    while (true) {
      in.clear();
      int n = channel.read(in);
      if (n < 0) {
        throw new AdminException(
            AdminException.Kind.PROTOCOL,
            request + ": " + endpoint + " closed the connection before a complete reply");
      }
      if (n == 0) {
        await(selector, key, SelectionKey.OP_READ, deadline, request, "waiting for the reply");
      } else if (framer.feed(in.array(), n)) {
        return framer.bytes();
      }
    }
  }

  private void await(
      Selector selector, SelectionKey key, int op, long deadline, String request, String doing)
      throws IOException {
    key.interestOps(op);
    if (Thread.interrupted()) {
      Thread.currentThread().interrupt(); // the agent is stopping: give up at once
      throw new AdminException(AdminException.Kind.TIMEOUT, request + ": interrupted");
    }
    long left = deadline - System.nanoTime();
    if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0 && timedOut(deadline)) {
      throw new AdminException(
          AdminException.Kind.TIMEOUT,
          request
              + ": no reply from "
              + endpoint
              + " within "
              + timeout.toMillis()
              + " ms ("
              + doing
              + ")");
    }
    selector.selectedKeys().clear();
  }

  private static boolean timedOut(long deadline) {
    return deadline - System.nanoTime() <= 0;
  }

  private static SocketChannel open(SocketAddress address) throws IOException {
    return address instanceof UnixDomainSocketAddress
        ? SocketChannel.open(StandardProtocolFamily.UNIX)
        : SocketChannel.open();
  }

  private static SocketAddress address(URI endpoint) {
    String scheme = endpoint.getScheme();
    if ("unix".equals(scheme) && endpoint.getPath() != null && !endpoint.getPath().isEmpty()) {
      return UnixDomainSocketAddress.of(Path.of(endpoint.getPath()));
    }
    if ("tcp".equals(scheme) && endpoint.getHost() != null && endpoint.getPort() > 0) {
      String host = endpoint.getHost();
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return new InetSocketAddress(host, endpoint.getPort());
    }
    throw new AdminException(
        AdminException.Kind.CONNECT,
        "admin endpoint \""
            + endpoint
            + "\" is not tcp://host:port or unix:///path/to/yggdrasil.sock");
  }

  private AdminException connectError(IOException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String hint = "";
    if (e instanceof NoSuchFileException || why.contains("No such file")) {
      hint = "; is yggdrasil running with AdminListen set to this socket?";
    } else if (e instanceof AccessDeniedException || why.contains("Permission denied")) {
      hint = "; the agent's user may not open the socket (add it to the yggdrasil group?)";
    } else if (why.contains("Connection refused")) {
      hint = "; is yggdrasil running with AdminListen set to this address?";
    }
    return new AdminException(
        AdminException.Kind.CONNECT, "cannot reach " + endpoint + ": " + why + hint);
  }

  @Override
  public String toString() {
    return "AdminClient[" + endpoint + "]";
  }
}
