package org.canopymesh.map.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.canopymesh.map.model.Island;
import org.canopymesh.map.model.Known;
import org.canopymesh.map.model.KnownLink;
import org.canopymesh.map.model.LinkId;
import org.canopymesh.map.model.LinkKind;
import org.canopymesh.map.model.NodeFacts;
import org.canopymesh.naming.report.SignedReport;
import org.jboss.logging.Logger;

/**
 * Everything the map service keeps in PostgreSQL: accepted reports, crawler topologies, node and
 * link history, link metrics and islands. Plain JDBC: every write is an upsert or a batch, which is
 * what keeps ingestion fast.
 */
@ApplicationScoped
public class MapStore {
  private static final Logger LOG = Logger.getLogger(MapStore.class);

  /** Metrics are downsampled to buckets of this length. */
  public static final Duration BUCKET = Duration.ofMinutes(5);

  /** Metrics older than this are deleted. */
  public static final Duration METRIC_HISTORY = Duration.ofHours(24);

  @Inject AgroalDataSource dataSource;
  @Inject ObjectMapper json;

  /** A latency or quality measured on a link by one report. */
  public record Sample(LinkId link, Double latencyMs, Double quality) {}

  /**
   * Stores a report if its {@code seq} is above the last one stored for its key, with its link
   * samples, in one transaction.
   *
   * @return false when the report is a replay or older than the stored one (nothing changes)
   */
  public boolean accept(SignedReport report, Instant receivedAt, List<Sample> samples) {
    String key = report.report().key().toHex();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        relaxCommit(c);
        if (!upsertReport(c, key, report, receivedAt)) {
          c.rollback();
          return false;
        }
        addSamples(c, key, samples, bucket(receivedAt));
        c.commit();
        return true;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("storing a report of " + key, e);
    }
  }

  /**
   * Reports are not worth an fsync each: the node sends a newer one within a minute. With
   * asynchronous commit a crash loses at most the last few hundred milliseconds of accepted reports
   * (never corrupts anything), and ingestion stops waiting on the disk, which profiles showed
   * dominated its p99 at 500 reports/s on two cores.
   */
  private static void relaxCommit(Connection c) throws SQLException {
    try (var s = c.createStatement()) {
      s.execute("set local synchronous_commit to off");
    }
  }

  private static boolean upsertReport(
      Connection c, String key, SignedReport report, Instant receivedAt) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into report (key, seq, reported_at, received_at, note) values (?, ?, ?, ?, ?)"
                + " on conflict (key) do update set seq = excluded.seq,"
                + " reported_at = excluded.reported_at, received_at = excluded.received_at,"
                + " note = excluded.note where report.seq < excluded.seq")) {
      s.setString(1, key);
      s.setBigDecimal(2, new BigDecimal(Long.toUnsignedString(report.report().seq())));
      s.setTimestamp(3, Timestamp.from(report.report().time()));
      s.setTimestamp(4, Timestamp.from(receivedAt));
      s.setString(5, report.format());
      return s.executeUpdate() == 1;
    }
  }

  private static void addSamples(
      Connection c, String reporter, List<Sample> samples, Instant bucket) throws SQLException {
    if (samples.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into link_metric as m (a, b, reporter, bucket, samples, latency_sum,"
                + " latency_n, quality_sum, quality_n) values (?, ?, ?, ?, 1, ?, ?, ?, ?)"
                + " on conflict (a, b, bucket, reporter) do update set samples = m.samples + 1,"
                + " latency_sum = m.latency_sum + excluded.latency_sum,"
                + " latency_n = m.latency_n + excluded.latency_n,"
                + " quality_sum = m.quality_sum + excluded.quality_sum,"
                + " quality_n = m.quality_n + excluded.quality_n")) {
      for (Sample x : samples) {
        s.setString(1, x.link().a());
        s.setString(2, x.link().b());
        s.setString(3, reporter);
        s.setTimestamp(4, Timestamp.from(bucket));
        s.setDouble(5, x.latencyMs() == null ? 0 : x.latencyMs());
        s.setInt(6, x.latencyMs() == null ? 0 : 1);
        s.setDouble(7, x.quality() == null ? 0 : x.quality());
        s.setInt(8, x.quality() == null ? 0 : 1);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  static Instant bucket(Instant at) {
    long seconds = BUCKET.toSeconds();
    return Instant.ofEpochSecond(at.getEpochSecond() / seconds * seconds);
  }

  /** A stored report as it was received. */
  public record StoredReport(String note, Instant receivedAt) {}

  /** Every key's latest report. */
  public List<StoredReport> reports() {
    List<StoredReport> out = new ArrayList<>();
    query(
        "select note, received_at from report",
        rs -> out.add(new StoredReport(rs.getString(1), rs.getTimestamp(2).toInstant())));
    return out;
  }

  /** The latest reports of these keys. */
  public List<StoredReport> reports(Collection<String> keys) {
    List<StoredReport> out = new ArrayList<>();
    query(
        "select note, received_at from report where key = any(?)",
        rs -> out.add(new StoredReport(rs.getString(1), rs.getTimestamp(2).toInstant())),
        (Object) keys.toArray(String[]::new));
    return out;
  }

  /** The reports received since {@code since}, by any replica. */
  public List<StoredReport> reportsSince(Instant since) {
    List<StoredReport> out = new ArrayList<>();
    query(
        "select note, received_at from report where received_at >= ?",
        rs -> out.add(new StoredReport(rs.getString(1), rs.getTimestamp(2).toInstant())),
        Timestamp.from(since));
    return out;
  }

  /** A crawler's topology as fetched. */
  public record StoredTopology(String url, String etag, Instant fetchedAt, byte[] body) {}

  public void saveTopology(StoredTopology t) {
    update(
        "insert into crawler_topology (url, etag, fetched_at, body) values (?, ?, ?, ?)"
            + " on conflict (url) do update set etag = excluded.etag,"
            + " fetched_at = excluded.fetched_at, body = excluded.body",
        t.url(),
        t.etag(),
        Timestamp.from(t.fetchedAt()),
        t.body());
  }

  /** Records that a crawler confirmed its topology unchanged. */
  public void touchTopology(String url, Instant fetchedAt) {
    update(
        "update crawler_topology set fetched_at = ? where url = ?", Timestamp.from(fetchedAt), url);
  }

  public List<StoredTopology> topologies() {
    List<StoredTopology> out = new ArrayList<>();
    query(
        "select url, etag, fetched_at, body from crawler_topology",
        rs ->
            out.add(
                new StoredTopology(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getTimestamp(3).toInstant(),
                    rs.getBytes(4))));
    return out;
  }

  /** Every node's history. */
  public Map<String, Known> known() {
    Map<String, Known> out = new HashMap<>();
    query(
        "select key, first_seen, last_seen, info from node_seen",
        rs -> {
          try {
            out.put(
                rs.getString(1),
                new Known(
                    rs.getTimestamp(2).toInstant(),
                    rs.getTimestamp(3).toInstant(),
                    json.readValue(rs.getString(4), NodeFacts.class)));
          } catch (JsonProcessingException e) {
            LOG.warnf(
                "ignoring unreadable history of node %s: %s", rs.getString(1), e.getMessage());
          }
        });
    return out;
  }

  /** Upserts node histories; the first sighting is never moved later. */
  public void saveKnown(Map<String, Known> changed) {
    if (changed.isEmpty()) {
      return;
    }
    batch(
        "insert into node_seen (key, first_seen, last_seen, info) values (?, ?, ?, ?::jsonb)"
            + " on conflict (key) do update set first_seen = least(node_seen.first_seen,"
            + " excluded.first_seen), last_seen = greatest(node_seen.last_seen,"
            + " excluded.last_seen), info = excluded.info",
        changed.entrySet(),
        (s, e) -> {
          s.setString(1, e.getKey());
          s.setTimestamp(2, Timestamp.from(e.getValue().firstSeen()));
          s.setTimestamp(3, Timestamp.from(e.getValue().lastSeen()));
          s.setString(4, json.writeValueAsString(e.getValue().facts()));
        });
  }

  public Map<LinkId, KnownLink> knownLinks() {
    Map<LinkId, KnownLink> out = new HashMap<>();
    query(
        "select a, b, kind, first_seen, last_seen from link_seen",
        rs -> {
          LinkId id = new LinkId(rs.getString(1), rs.getString(2));
          out.put(
              id,
              new KnownLink(
                  id,
                  LinkKind.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT)),
                  rs.getTimestamp(4).toInstant(),
                  rs.getTimestamp(5).toInstant()));
        });
    return out;
  }

  public void saveKnownLinks(List<KnownLink> changed) {
    batch(
        "insert into link_seen (a, b, kind, first_seen, last_seen) values (?, ?, ?, ?, ?)"
            + " on conflict (a, b) do update set kind = excluded.kind,"
            + " last_seen = greatest(link_seen.last_seen, excluded.last_seen)",
        changed,
        (s, k) -> {
          s.setString(1, k.id().a());
          s.setString(2, k.id().b());
          s.setString(3, k.kind().label());
          s.setTimestamp(4, Timestamp.from(k.firstSeen()));
          s.setTimestamp(5, Timestamp.from(k.lastSeen()));
        });
  }

  /** The islands as last stored, without places (those are recomputed). */
  @Transactional
  public List<Island> islands() {
    List<IslandRow> rows = IslandRow.listAll();
    return rows.stream()
        .map(r -> new Island(r.id, r.name, r.declared, List.of(r.members), 0, null, List.of()))
        .toList();
  }

  /** Replaces the stored islands with these. */
  @Transactional
  public void saveIslands(List<Island> islands, Instant at) {
    IslandRow.deleteAll();
    for (Island i : islands) {
      IslandRow row = new IslandRow();
      row.id = i.id();
      row.name = i.name();
      row.declared = i.declared();
      row.members = i.members().toArray(String[]::new);
      row.updatedAt = at;
      row.persist();
    }
  }

  /** A downsampled point of a link's history. */
  public record MetricPoint(Instant t, Double latencyMs, Double quality) {}

  /** The last 24 hours of each link of {@code key}, by the key at the other end, oldest first. */
  public Map<String, List<MetricPoint>> history(String key, Instant now) {
    Map<String, List<MetricPoint>> out = new LinkedHashMap<>();
    query(
        "select a, b, bucket, sum(latency_sum), sum(latency_n), sum(quality_sum),"
            + " sum(quality_n) from link_metric where (a = ? or b = ?) and bucket >= ?"
            + " group by a, b, bucket order by a, b, bucket",
        rs -> {
          String other = rs.getString(1).equals(key) ? rs.getString(2) : rs.getString(1);
          int ln = rs.getInt(5);
          int qn = rs.getInt(7);
          out.computeIfAbsent(other, k -> new ArrayList<>())
              .add(
                  new MetricPoint(
                      rs.getTimestamp(3).toInstant(),
                      ln == 0 ? null : Math.round(rs.getDouble(4) / ln * 100) / 100.0,
                      qn == 0 ? null : Math.round(rs.getDouble(6) / qn * 1000) / 1000.0));
        },
        key,
        key,
        Timestamp.from(now.minus(METRIC_HISTORY)));
    return out;
  }

  /** Deletes metrics past their 24 hours, and nodes and links not seen since {@code forget}. */
  public void prune(Instant now, Instant forget) {
    update("delete from link_metric where bucket < ?", Timestamp.from(now.minus(METRIC_HISTORY)));
    update("delete from node_seen where last_seen < ?", Timestamp.from(forget));
    update("delete from link_seen where last_seen < ?", Timestamp.from(forget));
  }

  // --- JDBC plumbing ---

  @FunctionalInterface
  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  private interface Binder<T> {
    void bind(PreparedStatement s, T item) throws SQLException, JsonProcessingException;
  }

  private void query(String sql, RowReader reader, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      s.setFetchSize(1000);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("reading: " + sql, e);
    }
  }

  private void update(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("writing: " + sql, e);
    }
  }

  /** Writes history in one transaction; asynchronous commit, as history is rewritten often. */
  private <T> void batch(String sql, Iterable<T> items, Binder<T> binder) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(sql)) {
        relaxCommit(c);
        int n = 0;
        for (T item : items) {
          binder.bind(s, item);
          s.addBatch();
          if (++n % 1000 == 0) {
            s.executeBatch();
          }
        }
        s.executeBatch();
        c.commit();
      } catch (SQLException | JsonProcessingException e) {
        c.rollback();
        throw new StoreException("writing: " + sql, e);
      }
    } catch (SQLException e) {
      throw new StoreException("writing: " + sql, e);
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
  }
}
