package org.canopymesh.crawler.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The calls a crawl makes to a Yggdrasil admin socket, in both dialects (0.4.5+ and 0.5). Every
 * reply is untrusted: it is bounded in size, keys must be 64 hex digits and are counted, NodeInfo
 * is bounded. Identical calls in flight at once share one request.
 */
public final class YggdrasilAdmin implements AutoCloseable {
  private static final Pattern KEY = Pattern.compile("[0-9a-fA-F]{64}");

  private final AdminTransport transport;
  private final ObjectMapper json;
  private final AdminLimits limits;
  private final Vertx vertx;
  private final Map<String, CompletableFuture<JsonNode>> inFlight = new ConcurrentHashMap<>();

  public YggdrasilAdmin(
      Vertx vertx, AdminEndpoint endpoint, ObjectMapper json, AdminLimits limits) {
    this.vertx = vertx;
    this.json = json;
    this.limits = limits;
    this.transport =
        new AdminTransport(vertx, endpoint, json, limits.callTimeout(), limits.maxReplyBytes());
  }

  /** {@code getSelf}: the local node and the dialect it speaks. */
  public CompletableFuture<SelfInfo> self() {
    return call("getSelf", null).thenApply(this::parseSelf);
  }

  /** {@code getPeers}: the local node's direct peers. */
  public CompletableFuture<List<PeerInfo>> peers() {
    return call("getPeers", null).thenApply(this::parsePeers);
  }

  /** {@code debug_remoteGetPeers}: the keys a remote node says it peers with. */
  public CompletableFuture<List<String>> remotePeers(String key) {
    return call("debug_remoteGetPeers", key).thenApply(r -> parseKeys(single(r, "keys")));
  }

  /** {@code getNodeInfo} of a remote node (or the local one for its own key). */
  public CompletableFuture<JsonNode> nodeInfo(String key) {
    return call("getNodeInfo", key).thenApply(this::parseNodeInfo);
  }

  private SelfInfo parseSelf(JsonNode r) {
    JsonNode self = r.path("self");
    String address;
    JsonNode fields;
    if (self.isObject() && self.size() == 1) { // 0.4: {"self": {"<address>": {...}}}
      address = self.fieldNames().next();
      fields = self.get(address);
    } else { // 0.5: the fields themselves
      fields = r;
      address = r.path("address").asText(null);
    }
    String key = checkKey(fields.path("key").asText(""));
    String build = fields.path("build_version").asText("unknown");
    return new SelfInfo(key, address, build, AdminVersion.of(build));
  }

  private List<PeerInfo> parsePeers(JsonNode r) {
    JsonNode peers = r.path("peers");
    List<JsonNode> entries = new ArrayList<>();
    peers.elements().forEachRemaining(entries::add); // 0.4: object by address; 0.5: array
    if (entries.size() > limits.maxKeysPerReply()) {
      throw protocol(
          "getPeers lists " + entries.size() + " peers; at most " + limits.maxKeysPerReply());
    }
    List<PeerInfo> out = new ArrayList<>(entries.size());
    for (JsonNode p : entries) {
      if (p.has("up") && !p.path("up").asBoolean(true)) {
        continue; // 0.5 lists configured peers that are not connected
      }
      String remote = p.path("remote").isTextual() ? p.get("remote").asText() : null;
      Boolean inbound = p.path("inbound").isBoolean() ? p.get("inbound").asBoolean() : null;
      out.add(new PeerInfo(checkKey(p.path("key").asText("")), remote, inbound));
    }
    return out;
  }

  private List<String> parseKeys(JsonNode keys) {
    if (!keys.isArray()) {
      throw protocol("the peers reply has no list of keys");
    }
    if (keys.size() > limits.maxKeysPerReply()) {
      throw protocol(
          "the peers reply lists " + keys.size() + " keys; at most " + limits.maxKeysPerReply());
    }
    List<String> out = new ArrayList<>(keys.size());
    for (JsonNode k : keys) {
      out.add(checkKey(k.asText("")));
    }
    return out;
  }

  private JsonNode parseNodeInfo(JsonNode r) {
    JsonNode info = single(r, null);
    if (!info.isObject()) {
      throw protocol("NodeInfo is not a JSON object");
    }
    int size;
    try {
      size = json.writeValueAsBytes(info).length;
    } catch (java.io.IOException e) {
      throw protocol("NodeInfo cannot be serialised");
    }
    if (size > limits.maxNodeInfoBytes()) {
      throw protocol("NodeInfo is " + size + " bytes; at most " + limits.maxNodeInfoBytes());
    }
    return info;
  }

  /**
   * Remote replies are one object keyed by the remote node (its address in 0.4, its key in 0.5);
   * this returns that object's value, or its {@code field}.
   */
  private static JsonNode single(JsonNode r, String field) {
    Iterator<JsonNode> values = r.elements();
    if (!r.isObject() || r.size() != 1) {
      throw protocol("a remote reply must hold exactly one node");
    }
    JsonNode v = values.next();
    return field == null ? v : v.path(field);
  }

  private static String checkKey(String key) {
    if (!KEY.matcher(key).matches()) {
      throw protocol("\"" + shorten(key) + "\" is not a public key (64 hex digits)");
    }
    return key.toLowerCase(Locale.ROOT);
  }

  /** One request with retries; identical requests in flight share it. */
  private CompletableFuture<JsonNode> call(String name, String key) {
    String id = name + (key == null ? "" : "/" + key);
    CompletableFuture<JsonNode> mine = new CompletableFuture<>();
    CompletableFuture<JsonNode> existing = inFlight.putIfAbsent(id, mine);
    if (existing != null) {
      return existing;
    }
    attempt(name, key, 0, mine);
    mine.whenComplete((r, e) -> inFlight.remove(id, mine));
    return mine;
  }

  private void attempt(String name, String key, int n, CompletableFuture<JsonNode> out) {
    ObjectNode request = json.createObjectNode().put("request", name);
    if (key != null) {
      request.putObject("arguments").put("key", key);
    }
    transport
        .exchange(request)
        .thenApply(YggdrasilAdmin::unwrap)
        .whenComplete(
            (reply, error) -> {
              if (error == null) {
                out.complete(reply);
                return;
              }
              Throwable cause =
                  error instanceof java.util.concurrent.CompletionException
                      ? error.getCause()
                      : error;
              if (cause instanceof AdminException a && a.retryable() && n < limits.retries()) {
                long delay = limits.backoff().toMillis() << n;
                vertx.setTimer(Math.max(1, delay), t -> attempt(name, key, n + 1, out));
              } else {
                out.completeExceptionally(cause);
              }
            });
  }

  /** The {@code response} of a successful reply; an error reply becomes an exception. */
  private static JsonNode unwrap(JsonNode reply) {
    String status = reply.path("status").asText("");
    if (!status.equals("success")) {
      String error = reply.path("error").asText("no error message");
      throw new AdminException(AdminException.Kind.REMOTE, "yggdrasil: " + shorten(error));
    }
    JsonNode response = reply.path("response");
    if (!response.isObject()) {
      throw protocol("the reply has no response object");
    }
    return response;
  }

  private static AdminException protocol(String message) {
    return new AdminException(AdminException.Kind.PROTOCOL, message);
  }

  private static String shorten(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }

  @Override
  public void close() {
    transport.close();
  }
}
