package org.canopymesh.crawler.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.canopymesh.crawler.crawl.CrawlResult;
import org.canopymesh.crawler.crawl.HarvestedRecord;
import org.canopymesh.crawler.crawl.Link;
import org.canopymesh.crawler.crawl.Location;
import org.canopymesh.crawler.crawl.NodeObservation;

/**
 * Writes one crawl's nodes, links and records in JDBC batches on the caller's connection (inside
 * its transaction): a 10,000-node crawl is some 60,000 rows, which Hibernate entities would write
 * one statement at a time. Hidden nodes leave only a hash of their key, and no link or record.
 */
final class CrawlWriter {
  private static final int BATCH = 1000;

  private final Connection db;
  private final ObjectMapper json;
  private final long crawlId;
  private final Timestamp seen;

  /** Each public node's NodeInfo as stored, serialised once: its text and its hash. */
  private final Map<String, String> contents = new HashMap<>();

  private final Map<String, byte[]> hashes = new HashMap<>();

  CrawlWriter(Connection db, ObjectMapper json, long crawlId, Instant seen) {
    this.db = db;
    this.json = json;
    this.crawlId = crawlId;
    this.seen = Timestamp.from(seen);
  }

  /** Writes everything; returns the keys of hidden nodes (which nothing else may mention). */
  Set<String> write(CrawlResult r) throws SQLException, JsonProcessingException {
    Set<String> hidden = new HashSet<>();
    for (NodeObservation n : r.nodes()) {
      if (n.hidden()) {
        hidden.add(n.key());
      }
    }
    for (NodeObservation n : r.nodes()) {
      if (!n.hidden() && n.nodeInfo() != null) {
        String content = json.writeValueAsString(n.nodeInfo());
        contents.put(n.key(), content);
        hashes.put(n.key(), sha256(content));
      }
    }
    writeHidden(hidden);
    writeNodeInfo(r);
    writeNodes(r, hidden);
    writeLinks(r, hidden);
    writeRecords(r, hidden);
    return hidden;
  }

  private void writeHidden(Set<String> hidden) throws SQLException {
    try (PreparedStatement s =
        db.prepareStatement(
            "insert into hidden_node (key_hash, first_seen, last_seen) values (?, ?, ?) "
                + "on conflict (key_hash) do update set last_seen = excluded.last_seen")) {
      Batch b = new Batch(s);
      for (String key : hidden) {
        s.setBytes(1, sha256(key));
        s.setTimestamp(2, seen);
        s.setTimestamp(3, seen);
        b.add();
      }
      b.flush();
    }
  }

  private void writeNodeInfo(CrawlResult r) throws SQLException {
    try (PreparedStatement s =
        db.prepareStatement(
            "insert into nodeinfo (hash, content, name, lat, lon, location_text, island, version)"
                + " values (?, ?::jsonb, ?, ?, ?, ?, ?, ?) on conflict (hash) do nothing")) {
      Batch b = new Batch(s);
      Set<String> done = new HashSet<>();
      for (NodeObservation n : r.nodes()) {
        String content = contents.get(n.key());
        if (content == null || !done.add(content)) {
          continue;
        }
        Location l = n.location();
        s.setBytes(1, hashes.get(n.key()));
        s.setString(2, content);
        s.setString(3, n.name());
        setDouble(s, 4, l == null ? null : l.lat());
        setDouble(s, 5, l == null ? null : l.lon());
        s.setString(6, l == null ? null : l.text());
        s.setString(7, n.island());
        s.setString(8, n.version());
        b.add();
      }
      b.flush();
    }
  }

  private void writeNodes(CrawlResult r, Set<String> hidden) throws SQLException {
    try (PreparedStatement node =
            db.prepareStatement(
                "insert into node (key, address, first_seen, last_seen, last_crawl, responded,"
                    + " nodeinfo_hash) values (?, ?, ?, ?, ?, ?, ?) on conflict (key) do update set"
                    + " last_seen = excluded.last_seen, last_crawl = excluded.last_crawl,"
                    + " responded = excluded.responded,"
                    + " nodeinfo_hash = coalesce(excluded.nodeinfo_hash, node.nodeinfo_hash)");
        PreparedStatement member =
            db.prepareStatement(
                "insert into crawl_node (crawl_id, key, responded, nodeinfo_hash)"
                    + " values (?, ?, ?, ?)")) {
      Batch nodes = new Batch(node);
      Batch members = new Batch(member);
      for (NodeObservation n : r.nodes()) {
        if (hidden.contains(n.key())) {
          continue;
        }
        byte[] info = hashes.get(n.key());
        node.setString(1, n.key());
        node.setString(2, n.address());
        node.setTimestamp(3, seen);
        node.setTimestamp(4, seen);
        node.setLong(5, crawlId);
        node.setString(6, n.responded().label());
        node.setBytes(7, info);
        nodes.add();
        member.setLong(1, crawlId);
        member.setString(2, n.key());
        member.setString(3, n.responded().label());
        member.setBytes(4, info);
        members.add();
      }
      nodes.flush();
      members.flush();
    }
  }

  private void writeLinks(CrawlResult r, Set<String> hidden) throws SQLException {
    try (PreparedStatement link =
            db.prepareStatement(
                "insert into link (a, b, first_seen, last_seen) values (?, ?, ?, ?)"
                    + " on conflict (a, b) do update set last_seen = excluded.last_seen");
        PreparedStatement member =
            db.prepareStatement("insert into crawl_link (crawl_id, a, b) values (?, ?, ?)")) {
      Batch links = new Batch(link);
      Batch members = new Batch(member);
      for (Link l : r.links()) {
        if (hidden.contains(l.a()) || hidden.contains(l.b())) {
          continue;
        }
        link.setString(1, l.a());
        link.setString(2, l.b());
        link.setTimestamp(3, seen);
        link.setTimestamp(4, seen);
        links.add();
        member.setLong(1, crawlId);
        member.setString(2, l.a());
        member.setString(3, l.b());
        members.add();
      }
      links.flush();
      members.flush();
    }
  }

  private void writeRecords(CrawlResult r, Set<String> hidden) throws SQLException {
    try (PreparedStatement rec =
            db.prepareStatement(
                "insert into harvested_record (note_hash, note, found_at, name, valid, reason,"
                    + " detail, first_seen, last_seen, last_crawl) values (?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?) on conflict (note_hash) do update set last_seen = excluded.last_seen,"
                    + " last_crawl = excluded.last_crawl, found_at = excluded.found_at,"
                    + " valid = excluded.valid, reason = excluded.reason, detail = excluded.detail");
        PreparedStatement member =
            db.prepareStatement(
                "insert into crawl_record (crawl_id, note_hash) values (?, ?)"
                    + " on conflict do nothing")) {
      Batch recs = new Batch(rec);
      Batch members = new Batch(member);
      Set<String> done = new HashSet<>();
      for (NodeObservation n : r.nodes()) {
        if (hidden.contains(n.key())) {
          continue;
        }
        for (HarvestedRecord h : n.records()) {
          if (!done.add(h.note())) {
            continue;
          }
          byte[] hash = sha256(h.note());
          rec.setBytes(1, hash);
          rec.setString(2, h.note());
          rec.setString(3, h.foundAt());
          rec.setString(4, h.name());
          rec.setBoolean(5, h.valid());
          rec.setString(6, h.reason());
          rec.setString(7, h.detail());
          rec.setTimestamp(8, seen);
          rec.setTimestamp(9, seen);
          rec.setLong(10, crawlId);
          recs.add();
          member.setLong(1, crawlId);
          member.setBytes(2, hash);
          members.add();
        }
      }
      recs.flush();
      members.flush();
    }
  }

  private static void setDouble(PreparedStatement s, int i, Double v) throws SQLException {
    if (v == null) {
      s.setNull(i, Types.DOUBLE);
    } else {
      s.setDouble(i, v);
    }
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds to a JDBC batch and sends it every {@value #BATCH} rows. */
  private static final class Batch {
    private final PreparedStatement statement;
    private int pending;

    Batch(PreparedStatement statement) {
      this.statement = statement;
    }

    void add() throws SQLException {
      statement.addBatch();
      if (++pending == BATCH) {
        flush();
      }
    }

    void flush() throws SQLException {
      if (pending > 0) {
        statement.executeBatch();
        pending = 0;
      }
    }
  }
}
