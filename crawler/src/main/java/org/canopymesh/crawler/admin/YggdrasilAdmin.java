package org.canopymesh.crawler.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls a crawl makes to a Yggdrasil admin socket, in both dialects (0.4.5+ and 0.5). Every
 * reply is untrusted: it is bounded in size, keys must be 64 hex digits and are counted, NodeInfo
 * is bounded. Identical calls in flight at once share one request.
 */
public final class YggdrasilAdmin implements AutoCloseable {
  /** Connections kept open for reuse; more than the crawl's default concurrency never idle. */
  static final int MAX_IDLE = 64;

  private final AdminTransport transport;
  private final ObjectMapper json;
  private final AdminLimits limits;
  private final Vertx vertx;
  private final Map<String, CompletableFuture<JsonNode>> inFlight = new ConcurrentHashMap<>();
  private final AdminReplies replies;

  public YggdrasilAdmin(
      Vertx vertx, AdminEndpoint endpoint, ObjectMapper json, AdminLimits limits) {
    this.vertx = vertx;
    this.json = json;
    this.limits = limits;
    this.replies = new AdminReplies(json, limits);
    this.transport =
        new AdminTransport(
            vertx, endpoint, json, limits.callTimeout(), limits.maxReplyBytes(), MAX_IDLE);
  }

  /** {@code getSelf}: the local node and the dialect it speaks. */
  public CompletableFuture<SelfInfo> self() {
    return call("getSelf", null).thenApply(replies::self);
  }

  /** {@code getPeers}: the local node's direct peers. */
  public CompletableFuture<List<PeerInfo>> peers() {
    return call("getPeers", null).thenApply(replies::peers);
  }

  /** {@code debug_remoteGetPeers}: the keys a remote node says it peers with. */
  public CompletableFuture<List<String>> remotePeers(String key) {
    return call("debug_remoteGetPeers", key).thenApply(replies::remotePeers);
  }

  /** {@code getNodeInfo} of a remote node (or the local one for its own key). */
  public CompletableFuture<JsonNode> nodeInfo(String key) {
    return call("getNodeInfo", key).thenApply(replies::nodeInfo);
  }

  /** One request with retries; identical requests in flight share it. */
  private CompletableFuture<JsonNode> call(String name, String key) {
    String id = name + (key == null ? "" : "/" + key.toLowerCase(Locale.ROOT));
    CompletableFuture<JsonNode> mine = new CompletableFuture<>();
    // A finished call may linger in the map until its clean-up runs: it is not in flight.
    CompletableFuture<JsonNode> shared =
        inFlight.compute(id, (k, v) -> v == null || v.isDone() ? mine : v);
    if (shared != mine) {
      return shared;
    }
    mine.whenComplete((r, e) -> inFlight.remove(id, mine));
    attempt(name, key, 0, mine);
    return mine;
  }

  private void attempt(String name, String key, int n, CompletableFuture<JsonNode> out) {
    ObjectNode request = json.createObjectNode().put("request", name);
    if (key != null) {
      request.putObject("arguments").put("key", key);
    }
    transport
        .exchange(request)
        .thenApply(AdminReplies::response)
        .whenComplete(
            (reply, error) -> {
              if (error == null) {
                out.complete(reply);
                return;
              }
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof AdminException a && a.retryable() && n < limits.retries()) {
                long delay = limits.backoff().toMillis() << n;
                vertx.setTimer(Math.max(1, delay), t -> attempt(name, key, n + 1, out));
              } else {
                out.completeExceptionally(cause);
              }
            });
  }

  @Override
  public void close() {
    transport.close();
  }
}
