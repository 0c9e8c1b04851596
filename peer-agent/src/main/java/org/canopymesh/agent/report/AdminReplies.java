package org.canopymesh.agent.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.VerifyingKey;
import org.canopymesh.naming.report.PeerLink;
import org.canopymesh.naming.report.ReportNote;

/**
 * Reads admin replies of both dialects from {@link org.canopymesh.agent.json.JsonTree} values,
 * trusting nothing: keys must be 64 hex digits, the address must be the key's, lists are bounded.
 * The shapes are documented, with captured examples, in {@code src/test/resources/admin/}.
 */
final class AdminReplies {
  /** Far more peerings than a node has; a longer list is a broken or hostile reply. */
  static final int MAX_PEERS = 1024;

  private static final Pattern KEY = Pattern.compile("[0-9a-fA-F]{64}");

  private AdminReplies() {}

  /** The {@code response} of a successful reply; an error reply becomes an exception. */
  static Map<?, ?> response(Object reply, String request) {
    if (!(reply instanceof Map<?, ?> r)) {
      throw protocol(request + ": the reply is not a JSON object");
    }
    if (!"success".equals(r.get("status"))) {
      Object error = r.get("error");
      throw new AdminException(
          AdminException.Kind.REMOTE,
          request
              + ": yggdrasil answered "
              + (error instanceof String s ? "\"" + shorten(s) + "\"" : "with no error message"));
    }
    if (!(r.get("response") instanceof Map<?, ?> response)) {
      throw protocol(request + ": the reply has no response object");
    }
    return response;
  }

  static SelfInfo self(Map<?, ?> r) {
    Map<?, ?> fields = r;
    Object address = r.get("address");
    if (r.get("self") instanceof Map<?, ?> wrapped && wrapped.size() == 1) {
      // Early 0.4: {"self": {"<address>": {...}}}
      Map.Entry<?, ?> only = wrapped.entrySet().iterator().next();
      address = only.getKey();
      fields = only.getValue() instanceof Map<?, ?> m ? m : Map.of();
    }
    // 0.4 has tree coordinates, 0.5 the number of routing entries.
    AdminDialect dialect =
        fields.containsKey("coords") || fields != r ? AdminDialect.V0_4 : AdminDialect.V0_5;
    VerifyingKey key = key(fields.get("key"), "getSelf");
    OverlayAddress derived = OverlayAddress.forKey(key);
    if (address != null && !derived.toString().equals(address)) {
      throw protocol(
          "getSelf: address " + shorten(String.valueOf(address)) + " is not the key's " + derived);
    }
    Object subnet = fields.get("subnet");
    return new SelfInfo(key, derived, subnet instanceof String s ? shorten(s) : "", dialect);
  }

  static List<PeerInfo> peers(Map<?, ?> r) {
    Object peers = r.get("peers");
    Collection<?> entries;
    if (peers == null) {
      entries = List.of(); // Go leaves out an empty list in some versions
    } else if (peers instanceof List<?> list) {
      entries = list;
    } else if (peers instanceof Map<?, ?> byAddress) {
      entries = byAddress.values(); // early 0.4 keyed peers by address
    } else {
      throw protocol("getPeers: peers is not a list");
    }
    if (entries.size() > MAX_PEERS) {
      throw protocol("getPeers lists " + entries.size() + " peers; at most " + MAX_PEERS);
    }
    List<PeerInfo> out = new ArrayList<>(entries.size());
    for (Object e : entries) {
      if (!(e instanceof Map<?, ?> p)) {
        throw protocol("getPeers: a peer is not a JSON object");
      }
      out.add(peer(p));
    }
    return out;
  }

  private static PeerInfo peer(Map<?, ?> p) {
    Object k = p.get("key");
    // 0.5 lists configured peers that are down with "key": "".
    Optional<VerifyingKey> key =
        k == null || "".equals(k) ? Optional.empty() : Optional.of(key(k, "getPeers"));
    Optional<String> remote =
        p.get("remote") instanceof String s ? Optional.of(shorten(s)) : Optional.empty();
    Optional<Boolean> inbound =
        p.get("inbound") instanceof Boolean b ? Optional.of(b) : Optional.empty();
    boolean up = !(p.get("up") instanceof Boolean b) || b;
    long port = p.get("port") instanceof Long l && l >= 0 ? l : 0;
    return new PeerInfo(key, remote, inbound, up, latency(p), port);
  }

  /**
   * 0.5's round trip, a Go {@code time.Duration} in nanoseconds, named {@code latency} or, in
   * 0.5.6, {@code latency_ms} (still nanoseconds). Values a report cannot hold are left out.
   */
  private static Optional<Duration> latency(Map<?, ?> p) {
    Object v = p.containsKey("latency") ? p.get("latency") : p.get("latency_ms");
    if (v instanceof Long ns && ns > 0 && ns <= ReportNote.MAX_LATENCY.toNanos()) {
      return Optional.of(Duration.ofNanos(ns));
    }
    return Optional.empty();
  }

  private static VerifyingKey key(Object k, String request) {
    if (!(k instanceof String s) || !KEY.matcher(s).matches()) {
      throw protocol(
          request + ": \"" + shorten(String.valueOf(k)) + "\" is not a public key (64 hex digits)");
    }
    return VerifyingKey.parseHex(s);
  }

  private static AdminException protocol(String message) {
    return new AdminException(AdminException.Kind.PROTOCOL, message);
  }

  static String shorten(String s) {
    return s.length() > PeerLink.MAX_REMOTE_LENGTH * 2
        ? s.substring(0, PeerLink.MAX_REMOTE_LENGTH * 2) + "..."
        : s;
  }
}
