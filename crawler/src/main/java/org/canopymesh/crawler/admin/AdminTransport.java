package org.canopymesh.crawler.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request, one reply, one connection: how Yggdrasil's admin socket is meant to be used without
 * keep-alive. Non-blocking (Vert.x); every call is bounded in time and in bytes.
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

  AdminTransport(
      Vertx vertx, AdminEndpoint endpoint, ObjectMapper json, Duration timeout, int maxReplyBytes) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.json = json;
    this.timeout = timeout;
    this.maxReplyBytes = maxReplyBytes;
    this.client =
        vertx.createNetClient(
            new NetClientOptions().setConnectTimeout((int) Math.min(timeout.toMillis(), 30_000)));
    this.address =
        endpoint.isUnix()
            ? SocketAddress.domainSocketAddress(endpoint.path())
            : SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host());
  }

  /** Sends {@code request} and completes with the parsed reply, or an {@link AdminException}. */
  CompletableFuture<JsonNode> exchange(JsonNode request) {
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    byte[] body;
    try {
      body = json.writeValueAsBytes(request);
    } catch (IOException e) {
      result.completeExceptionally(e);
      return result;
    }
    Call call = new Call(result);
    call.timer =
        vertx.setTimer(
            timeout.toMillis(),
            t ->
                call.fail(
                    new AdminException(
                        AdminException.Kind.TIMEOUT,
                        "no reply from " + endpoint + " within " + timeout.toMillis() + " ms")));
    client
        .connect(address)
        .onSuccess(socket -> call.start(socket, body))
        .onFailure(
            e ->
                call.fail(
                    new AdminException(
                        AdminException.Kind.CONNECT,
                        "cannot connect to " + endpoint + ": " + describe(e))));
    return result;
  }

  /** The state of one exchange; whichever of reply, close, error or timer comes first wins. */
  private final class Call {
    final CompletableFuture<JsonNode> result;
    final ReplyFramer framer = new ReplyFramer(maxReplyBytes, MAX_DEPTH);
    final AtomicBoolean done = new AtomicBoolean();
    volatile NetSocket socket;
    volatile long timer;

    Call(CompletableFuture<JsonNode> result) {
      this.result = result;
    }

    void start(NetSocket s, byte[] body) {
      socket = s;
      if (done.get()) {
        s.close();
        return;
      }
      s.handler(this::onData);
      s.exceptionHandler(e -> fail(new AdminException(AdminException.Kind.CONNECT, describe(e))));
      s.closeHandler(
          v ->
              fail(
                  new AdminException(
                      AdminException.Kind.PROTOCOL,
                      endpoint + " closed the connection before a complete reply")));
      s.write(Buffer.buffer(body));
    }

    void onData(Buffer chunk) {
      if (done.get()) {
        return;
      }
      try {
        if (framer.feed(chunk.getBytes())) {
          JsonNode reply = json.readTree(framer.bytes());
          finish(() -> result.complete(reply));
        }
      } catch (AdminException e) {
        fail(e);
      } catch (IOException | RuntimeException e) {
        fail(new AdminException(AdminException.Kind.PROTOCOL, "the reply is not valid JSON"));
      }
    }

    void fail(Throwable e) {
      finish(() -> result.completeExceptionally(e));
    }

    private void finish(Runnable outcome) {
      if (done.compareAndSet(false, true)) {
        vertx.cancelTimer(timer);
        NetSocket s = socket;
        if (s != null) {
          s.close();
        }
        outcome.run();
      }
    }
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public void close() {
    client.close();
  }
}
