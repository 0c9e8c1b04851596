package org.canopymesh.crawler.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the {@code response} objects of admin replies in both dialects, trusting nothing: keys must
 * be 64 hex digits, lists and NodeInfo are bounded. Shapes are documented, with captured examples,
 * under {@code src/test/resources/admin/}.
 */
final class AdminReplies {
  private static final Pattern KEY = Pattern.compile("[0-9a-fA-F]{64}");

  private final ObjectMapper json;
  private final AdminLimits limits;

  AdminReplies(ObjectMapper json, AdminLimits limits) {
    this.json = json;
    this.limits = limits;
  }

  /** The {@code response} of a successful reply; an error reply becomes an exception. */
  static JsonNode response(JsonNode reply) {
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

  SelfInfo self(JsonNode r) {
    JsonNode fields = r;
    String address = r.path("address").asText(null);
    JsonNode wrapped = r.path("self");
    if (wrapped.isObject() && wrapped.size() == 1) { // early 0.4: {"self": {"<address>": {...}}}
      address = wrapped.fieldNames().next();
      fields = wrapped.get(address);
    }
    // Debian's 0.4.7 reports its build as "unknown": the shape tells the dialect. 0.4 has the
    // tree coordinates, 0.5 the number of routing entries.
    AdminVersion version =
        fields.has("coords") || fields != r ? AdminVersion.V0_4 : AdminVersion.V0_5;
    String key = checkKey(fields.path("key").asText(""));
    return new SelfInfo(key, address, fields.path("build_version").asText("unknown"), version);
  }

  List<PeerInfo> peers(JsonNode r) {
    JsonNode peers = r.path("peers");
    List<JsonNode> entries = new ArrayList<>();
    peers.elements().forEachRemaining(entries::add); // an array; early 0.4 keyed it by address
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

  List<String> remotePeers(JsonNode r) {
    return keys(single(r, "keys"));
  }

  private List<String> keys(JsonNode keys) {
    if (keys.isMissingNode()) {
      return List.of(); // Yggdrasil leaves the field out when the list is empty
    }
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

  JsonNode nodeInfo(JsonNode r) {
    JsonNode info = single(r, null);
    if (!info.isObject()) {
      throw protocol("NodeInfo is not a JSON object");
    }
    int size;
    try {
      size = json.writeValueAsBytes(info).length;
    } catch (IOException e) {
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

  private static AdminException protocol(String message) {
    return new AdminException(AdminException.Kind.PROTOCOL, message);
  }

  private static String shorten(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }
}
