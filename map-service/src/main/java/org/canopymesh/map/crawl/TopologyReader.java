package org.canopymesh.map.crawl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.canopymesh.map.model.CrawledNode;
import org.canopymesh.map.model.CrawlerView;
import org.canopymesh.map.model.LinkId;
import org.canopymesh.map.model.NameEntry;
import org.canopymesh.map.model.Point;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.VerifyingKey;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.SignedRecord;

/**
 * Reads a crawler's {@code GET /api/v1/topology} answer. A crawler is another operator's service:
 * nothing in it is trusted. Entries that break a rule are skipped (a malformed key, an address that
 * is not the key's, a place off the Earth); name records are verified again, and a record counts
 * only for the key that signed it.
 */
public final class TopologyReader {
  static final int MAX_TEXT = 128;
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

  private final ObjectMapper json;
  private final int maxNodes;
  private final int maxLinks;

  public TopologyReader(ObjectMapper json, int maxNodes, int maxLinks) {
    this.json = json;
    this.maxNodes = maxNodes;
    this.maxLinks = maxLinks;
  }

  /**
   * The view of a topology answer.
   *
   * @throws TopologyException when the answer is not a topology at all
   */
  public CrawlerView read(String source, byte[] body, Instant fetchedAt) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      throw new TopologyException(source, "the answer is not JSON: " + e.getMessage());
    }
    if (root == null || !root.path("nodes").isArray() || !root.path("links").isArray()) {
      throw new TopologyException(source, "the answer has no nodes and links arrays");
    }
    if (root.path("nodes").size() > maxNodes || root.path("links").size() > maxLinks) {
      throw new TopologyException(
          source,
          "the topology has "
              + root.path("nodes").size()
              + " nodes and "
              + root.path("links").size()
              + " links; at most "
              + maxNodes
              + " and "
              + maxLinks
              + " are taken");
    }
    List<CrawledNode> nodes = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (JsonNode n : root.path("nodes")) {
      CrawledNode node = node(n, fetchedAt);
      if (node != null && keys.add(node.key())) {
        nodes.add(node);
      }
    }
    Set<LinkId> links = new HashSet<>();
    for (JsonNode l : root.path("links")) {
      String a = l.path("a").asText("");
      String b = l.path("b").asText("");
      if (keys.contains(a) && keys.contains(b) && !a.equals(b)) {
        links.add(LinkId.of(a, b));
      }
    }
    return new CrawlerView(source, fetchedAt, nodes, List.copyOf(links), names(root, keys));
  }

  private static CrawledNode node(JsonNode n, Instant fetchedAt) {
    String key = n.path("key").asText("");
    if (!KEY.matcher(key).matches()) {
      return null;
    }
    String address = OverlayAddress.forKey(VerifyingKey.parseHex(key)).toString();
    JsonNode loc = n.path("location");
    Point location =
        loc.path("lat").isNumber() && loc.path("lon").isNumber()
            ? Point.ofNullable(loc.path("lat").asDouble(), loc.path("lon").asDouble())
            : null;
    Instant lastSeen = instant(n.path("lastSeen"), fetchedAt);
    if (lastSeen.isAfter(fetchedAt)) {
      lastSeen = fetchedAt;
    }
    return new CrawledNode(
        key,
        address,
        text(n.path("name")),
        location,
        text(n.path("island")),
        text(n.path("version")),
        lastSeen);
  }

  /** Valid, verified records, by the key that signed them. */
  private static Map<String, List<NameEntry>> names(JsonNode root, Set<String> keys) {
    Map<String, List<NameEntry>> out = new HashMap<>();
    int taken = 0;
    for (JsonNode r : root.path("records")) {
      if (!r.path("valid").asBoolean(false)
          || !r.path("note").isTextual()
          || taken >= 16 * keys.size()) {
        continue;
      }
      try {
        NameRecord rec = SignedRecord.parse(r.path("note").asText()).record();
        String key = rec.key().toHex();
        if (keys.contains(key)) {
          out.computeIfAbsent(key, k -> new ArrayList<>()).add(entry(rec));
          taken++;
        }
      } catch (NamingException | IllegalArgumentException e) {
        // A record that does not verify is the crawler's problem, not a name.
      }
    }
    return out;
  }

  private static NameEntry entry(NameRecord rec) {
    return new NameEntry(
        rec.name(),
        rec.services().stream()
            .map(s -> "_" + s.service() + "._" + s.protocol().label() + " " + s.port())
            .toList(),
        rec.texts(),
        rec.expires());
  }

  /** Text that is shown to people: bounded, without control characters; null when absent. */
  static String text(JsonNode n) {
    if (!n.isTextual()) {
      return null;
    }
    String s =
        n.asText()
            .codePoints()
            .filter(c -> !Character.isISOControl(c))
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString()
            .strip();
    if (s.isEmpty()) {
      return null;
    }
    return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
  }

  private static Instant instant(JsonNode n, Instant fallback) {
    if (!n.isTextual()) {
      return fallback;
    }
    try {
      return Instant.parse(n.asText());
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }
}
