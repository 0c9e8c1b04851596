package org.canopymesh.crawler.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Requests to an admin socket, one at a time per connection. Connections are kept open with
 * Yggdrasil's {@code keepalive} and reused, so a crawl of thousands of calls does not pay a
 * connection for each. Non-blocking (Vert.x); every call is bounded in time and in bytes; a
 * connection whose call failed in any way is closed, never reused.
 */
final class AdminTransport implements AutoCloseable {
  static final int MAX_DEPTH = 64;

  private final Vertx vertx;
  private final NetClient client;
  private final SocketAddress address;
  private final AdminEndpoint endpoint;
  private final ObjectMapper json;
  private final Duration timeout;
  private final int maxReplyBytes;
  private final int maxIdle;
  private final ConcurrentLinkedDeque<Channel> idle = new ConcurrentLinkedDeque<>();

  AdminTransport(
      Vertx vertx,
      AdminEndpoint endpoint,
      ObjectMapper json,
      Duration timeout,
      int maxReplyBytes,
      int maxIdle) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.json = json;
    this.timeout = timeout;
    this.maxReplyBytes = maxReplyBytes;
    this.maxIdle = maxIdle;
    this.client =
        vertx.createNetClient(
            new NetClientOptions().setConnectTimeout((int) Math.min(timeout.toMillis(), 30_000)));
    this.address =
        endpoint.isUnix()
            ? SocketAddress.domainSocketAddress(endpoint.path())
            : SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host());
  }

  /** Sends {@code request} and completes with the parsed reply, or an {@link AdminException}. */
  CompletableFuture<JsonNode> exchange(ObjectNode request) {
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    byte[] body;
    try {
      body = json.writeValueAsBytes(request.put("keepalive", true));
    } catch (IOException e) {
      result.completeExceptionally(e);
      return result;
    }
    Call call = new Call(result, body);
    call.timer =
        vertx.setTimer(
            timeout.toMillis(),
            t ->
                call.fail(
                    new AdminException(
                        AdminException.Kind.TIMEOUT,
                        "no reply from " + endpoint + " within " + timeout.toMillis() + " ms")));
    Channel reused = idle.pollFirst();
    if (reused != null) {
      call.reused = true;
      reused.begin(call);
    } else {
      connect(call);
    }
    return result;
  }

  private void connect(Call call) {
    client
        .connect(address)
        .onSuccess(socket -> new Channel(socket).begin(call))
        .onFailure(
            e ->
                call.fail(
                    new AdminException(
                        AdminException.Kind.CONNECT,
                        "cannot connect to " + endpoint + ": " + describe(e))));
  }

  /** One connection; it carries at most one call at a time. */
  private final class Channel {
    final NetSocket socket;
    volatile Call current;
    volatile boolean open = true;

    Channel(NetSocket socket) {
      this.socket = socket;
      socket.handler(
          chunk -> {
            Call c = current;
            if (c != null) {
              c.onData(chunk);
            }
          });
      socket.exceptionHandler(
          e -> broken(new AdminException(AdminException.Kind.CONNECT, describe(e))));
      socket.closeHandler(
          v ->
              broken(
                  new AdminException(
                      AdminException.Kind.PROTOCOL,
                      endpoint + " closed the connection before a complete reply")));
    }

    void begin(Call call) {
      if (call.done.get()) { // timed out while connecting
        release();
        return;
      }
      call.channel = this;
      current = call;
      socket.write(Buffer.buffer(call.body));
    }

    private void broken(AdminException e) {
      open = false;
      idle.remove(this);
      Call c = current;
      current = null;
      if (c == null) {
        return;
      }
      if (c.reused && !c.framer.started() && !c.done.get()) {
        // The server dropped an idle connection just as we reused it: send again on a new one.
        c.reused = false;
        connect(c);
      } else {
        c.fail(e);
      }
    }

    /** Back to the pool after a complete reply, or closed if the pool is full or it is broken. */
    void release() {
      current = null;
      if (open && idle.size() < maxIdle) {
        idle.addFirst(this);
      } else {
        close();
      }
    }

    void close() {
      open = false;
      current = null;
      socket.close();
    }
  }

  /** The state of one exchange; whichever of reply, close, error or timer comes first wins. */
  private final class Call {
    final CompletableFuture<JsonNode> result;
    final byte[] body;
    final ReplyFramer framer = new ReplyFramer(maxReplyBytes, MAX_DEPTH);
    final AtomicBoolean done = new AtomicBoolean();
    volatile Channel channel;
    volatile long timer;
    volatile boolean reused;

    Call(CompletableFuture<JsonNode> result, byte[] body) {
      this.result = result;
      this.body = body;
    }

    void onData(Buffer chunk) {
      if (done.get()) {
        return;
      }
      try {
        if (framer.feed(chunk.getBytes())) {
          JsonNode reply = json.readTree(framer.bytes());
          if (done.compareAndSet(false, true)) {
            vertx.cancelTimer(timer);
            channel.release();
            result.complete(reply);
          }
        }
      } catch (AdminException e) {
        fail(e);
      } catch (IOException | RuntimeException e) {
        fail(new AdminException(AdminException.Kind.PROTOCOL, "the reply is not valid JSON"));
      }
    }

    void fail(Throwable e) {
      if (done.compareAndSet(false, true)) {
        vertx.cancelTimer(timer);
        Channel c = channel;
        if (c != null) {
          c.close(); // its state is unknown now: never reuse it
        }
        result.completeExceptionally(e);
      }
    }
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public void close() {
    Channel c;
    while ((c = idle.pollFirst()) != null) {
      c.close();
    }
    client.close();
  }
}
