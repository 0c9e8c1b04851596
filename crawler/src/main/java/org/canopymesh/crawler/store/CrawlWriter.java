package org.canopymesh.crawler.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.canopymesh.crawler.crawl.CrawlResult;
import org.canopymesh.crawler.crawl.HarvestedRecord;
import org.canopymesh.crawler.crawl.Link;
import org.canopymesh.crawler.crawl.Location;
import org.canopymesh.crawler.crawl.NodeObservation;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes one crawl's nodes, links and records on the caller's connection, inside its transaction:
 * the rows go by {@code COPY} into temporary tables, then a few set-based statements merge them, so
 * a 10,000-node crawl (some 60,000 rows) is a handful of round trips. Hidden nodes leave only a
 * hash of their key, and no link or record. Text from the network may hold NUL, which PostgreSQL
 * cannot store: it becomes U+FFFD.
 */
final class CrawlWriter {
  private static final String STAGING =
      "create temp table t_hidden (key_hash bytea) on commit drop;"
          + "create temp table t_nodeinfo (hash bytea, content text, name text, lat float8,"
          + " lon float8, location_text text, island text, version text) on commit drop;"
          + "create temp table t_node (key text, address text, responded text,"
          + " nodeinfo_hash bytea) on commit drop;"
          + "create temp table t_link (a text, b text) on commit drop;"
          + "create temp table t_record (note_hash bytea, note text, found_at text, name text,"
          + " valid boolean, reason text, detail text) on commit drop";

  private static final String[] MERGE = {
    "insert into hidden_node (key_hash, first_seen, last_seen) select distinct key_hash, ?1, ?1"
        + " from t_hidden on conflict (key_hash) do update set last_seen = excluded.last_seen",
    "insert into nodeinfo (hash, content, name, lat, lon, location_text, island, version)"
        + " select distinct on (hash) hash, content::jsonb, name, lat, lon, location_text,"
        + " island, version from t_nodeinfo on conflict (hash) do nothing",
    "insert into node (key, address, first_seen, last_seen, last_crawl, responded,"
        + " nodeinfo_hash) select key, address, ?1, ?1, ?2, responded, nodeinfo_hash from t_node"
        + " on conflict (key) do update set last_seen = excluded.last_seen, last_crawl ="
        + " excluded.last_crawl, responded = excluded.responded, nodeinfo_hash ="
        + " coalesce(excluded.nodeinfo_hash, node.nodeinfo_hash)",
    "insert into crawl_node (crawl_id, key, responded, nodeinfo_hash)"
        + " select ?2, key, responded, nodeinfo_hash from t_node",
    "insert into link (a, b, first_seen, last_seen) select a, b, ?1, ?1 from t_link"
        + " on conflict (a, b) do update set last_seen = excluded.last_seen",
    "insert into crawl_link (crawl_id, a, b) select ?2, a, b from t_link",
    "insert into harvested_record (note_hash, note, found_at, name, valid, reason, detail,"
        + " first_seen, last_seen, last_crawl) select distinct on (note_hash) note_hash, note,"
        + " found_at, name, valid, reason, detail, ?1, ?1, ?2 from t_record on conflict"
        + " (note_hash) do update set last_seen = excluded.last_seen, last_crawl ="
        + " excluded.last_crawl, found_at = excluded.found_at, valid = excluded.valid,"
        + " reason = excluded.reason, detail = excluded.detail",
    "insert into crawl_record (crawl_id, note_hash) select distinct ?2, note_hash from t_record"
  };

  private final Connection db;
  private final ObjectMapper json;
  private final long crawlId;
  private final Timestamp seen;

  CrawlWriter(Connection db, ObjectMapper json, long crawlId, Instant seen) {
    this.db = db;
    this.json = json;
    this.crawlId = crawlId;
    this.seen = Timestamp.from(seen);
  }

  /** Writes everything; returns the keys of hidden nodes (which nothing else may mention). */
  Set<String> write(CrawlResult r) throws SQLException, JsonProcessingException {
    Set<String> hidden = new HashSet<>();
    Rows hiddenRows = new Rows();
    for (NodeObservation n : r.nodes()) {
      if (n.hidden()) {
        hidden.add(n.key());
        hiddenRows.bytes(sha256(n.key())).end();
      }
    }
    Rows infos = new Rows();
    Rows nodes = new Rows();
    Rows records = new Rows();
    for (NodeObservation n : r.nodes()) {
      if (n.hidden()) {
        continue;
      }
      byte[] hash = null;
      if (n.nodeInfo() != null) {
        String content = json.writeValueAsString(clean(n.nodeInfo()));
        hash = sha256(content);
        Location l = n.location();
        infos.bytes(hash).text(content).text(n.name());
        infos.number(l == null ? null : l.lat()).number(l == null ? null : l.lon());
        infos.text(l == null ? null : l.text()).text(n.island()).text(n.version()).end();
      }
      nodes.text(n.key()).text(n.address()).text(n.responded().label()).bytes(hash).end();
      for (HarvestedRecord h : n.records()) {
        records.bytes(sha256(h.note())).text(h.note()).text(h.foundAt()).text(h.name());
        records.bool(h.valid()).text(h.reason()).text(h.detail()).end();
      }
    }
    Rows links = new Rows();
    for (Link l : r.links()) {
      if (!hidden.contains(l.a()) && !hidden.contains(l.b())) {
        links.text(l.a()).text(l.b()).end();
      }
    }
    try (Statement s = db.createStatement()) {
      s.execute(STAGING);
    }
    CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
    copy(copy, "t_hidden", hiddenRows);
    copy(copy, "t_nodeinfo", infos);
    copy(copy, "t_node", nodes);
    copy(copy, "t_link", links);
    copy(copy, "t_record", records);
    for (String sql : MERGE) {
      try (PreparedStatement s =
          db.prepareStatement(sql.replace("?1", "?::timestamptz").replace("?2", "?::bigint"))) {
        bind(s, sql);
        s.executeUpdate();
      }
    }
    return hidden;
  }

  /** Binds {@code ?1} (the time seen) and {@code ?2} (the crawl id) in their order of use. */
  private void bind(PreparedStatement s, String sql) throws SQLException {
    int i = 1;
    for (int at = sql.indexOf('?'); at >= 0; at = sql.indexOf('?', at + 1)) {
      if (sql.charAt(at + 1) == '1') {
        s.setTimestamp(i++, seen);
      } else {
        s.setLong(i++, crawlId);
      }
    }
  }

  private static void copy(CopyManager copy, String table, Rows rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try {
      copy.copyIn("copy " + table + " from stdin", new StringReader(rows.toString()));
    } catch (IOException e) {
      throw new SQLException("copy into " + table + " failed: " + e.getMessage(), e);
    }
  }

  /** A copy of {@code n} without NUL in any string or field name. */
  static JsonNode clean(JsonNode n) {
    if (n.isTextual()) {
      String t = n.asText();
      return t.indexOf('\0') < 0 ? n : TextNode.valueOf(t.replace('\0', '\uFFFD'));
    }
    if (n.isObject()) {
      ObjectNode out = ((ObjectNode) n).objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey().replace('\0', '\uFFFD'), clean(e.getValue()));
      }
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = ((ArrayNode) n).arrayNode();
      n.forEach(x -> out.add(clean(x)));
      return out;
    }
    return n;
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rows in PostgreSQL's COPY text format: tab between columns, {@code \N} for null. */
  private static final class Rows {
    private final StringBuilder sb = new StringBuilder(1 << 16);
    private boolean lineStart = true;

    Rows text(String v) {
      sep();
      if (v == null) {
        sb.append("\\N");
        return this;
      }
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        switch (c) {
          case '\\' -> sb.append("\\\\");
          case '\t' -> sb.append("\\t");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\0' -> sb.append('\uFFFD');
          default -> sb.append(c);
        }
      }
      return this;
    }

    Rows bytes(byte[] v) {
      sep();
      if (v == null) {
        sb.append("\\N");
      } else {
        sb.append("\\\\x").append(HexFormat.of().formatHex(v));
      }
      return this;
    }

    Rows number(Double v) {
      sep();
      sb.append(v == null ? "\\N" : v.toString());
      return this;
    }

    Rows bool(boolean v) {
      sep();
      sb.append(v ? 't' : 'f');
      return this;
    }

    void end() {
      sb.append('\n');
      lineStart = true;
    }

    private void sep() {
      if (!lineStart) {
        sb.append('\t');
      }
      lineStart = false;
    }

    boolean isEmpty() {
      return sb.length() == 0;
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}
