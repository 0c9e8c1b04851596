package org.canopymesh.crawler.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.canopymesh.crawler.CrawlerException;
import org.canopymesh.crawler.crawl.CrawlError;
import org.canopymesh.crawler.crawl.CrawlResult;
import org.canopymesh.crawler.crawl.Responded;

/**
 * The crawl store: runs as Panache entities, what they found in JDBC batches (see {@link
 * CrawlWriter}), all of one crawl in one transaction.
 */
@ApplicationScoped
public class TopologyStore {
  public static final int ERRORS_KEPT = 50;

  @Inject AgroalDataSource dataSource;
  @Inject ObjectMapper json;

  /** Records a crawl that has started. */
  @Transactional
  public long begin(String adminEndpoint, String instance, Instant startedAt) {
    CrawlRun run = new CrawlRun();
    run.instance = instance;
    run.status = "running";
    run.startedAt = startedAt;
    run.adminEndpoint = adminEndpoint;
    run.persist();
    return run.id;
  }

  /** Stores what a crawl found and closes its run, in one transaction. */
  @Transactional
  public void finish(long id, CrawlResult r) {
    CrawlRun run = CrawlRun.findById(id);
    if (run == null) {
      throw new CrawlerException("no crawl " + id);
    }
    Set<String> hidden = Set.of();
    if (r.localKey() != null) {
      try (Connection c = dataSource.getConnection()) {
        hidden = new CrawlWriter(c, json, id, r.finishedAt()).write(r);
      } catch (SQLException | JsonProcessingException e) {
        throw new CrawlerException("storing crawl " + id + " failed: " + e.getMessage(), e);
      }
    }
    Set<String> secret = hidden;
    run.status = r.outcome().label();
    run.finishedAt = r.finishedAt();
    run.localKey = r.localKey();
    run.adminVersion = r.adminVersion();
    run.nodes = r.nodes().size() - secret.size();
    run.hidden = secret.size();
    run.responded =
        (int) r.nodes().stream().filter(n -> !n.hidden() && n.responded() != Responded.NO).count();
    run.links =
        (int)
            r.links().stream()
                .filter(l -> !secret.contains(l.a()) && !secret.contains(l.b()))
                .count();
    run.records = 0;
    run.invalidRecords = 0;
    for (var n : r.nodes()) {
      if (!n.hidden()) {
        run.records += n.records().size();
        run.invalidRecords += (int) n.records().stream().filter(h -> !h.valid()).count();
      }
    }
    run.calls = r.calls();
    run.errors = r.errorCount();
    run.failure = r.failure();
    run.errorSample = new ArrayList<>();
    for (CrawlError e : r.errors()) {
      if (run.errorSample.size() == ERRORS_KEPT) {
        break;
      }
      if (e.key() == null || !secret.contains(e.key())) { // not even errors name hidden nodes
        run.errorSample.add(new CrawlRun.ErrorSample(e.call(), e.key(), e.kind(), e.message()));
      }
    }
  }

  /** Marks runs left "running" by a process that died as failed; returns how many. */
  @Transactional
  public int failInterrupted(Instant now) {
    return CrawlRun.update(
        "status = 'failed', finishedAt = ?1, failure = 'interrupted: the service stopped during"
            + " the crawl' where status = 'running'",
        now);
  }

  public Optional<CrawlRun> run(long id) {
    return Optional.ofNullable(CrawlRun.findById(id));
  }

  public List<CrawlRun> recent(int limit) {
    return CrawlRun.recent(limit);
  }

  /** The id of the newest finished crawl with data, if any. */
  public Optional<Long> latestFinished() {
    CrawlRun r = CrawlRun.latestFinished();
    return r == null ? Optional.empty() : Optional.of(r.id);
  }

  /**
   * The columns {@link #node(ResultSet)} reads; {@code %s} is where {@code responded} comes from.
   */
  private static final String NODE_COLUMNS =
      "n.key, n.address, ni.name, ni.lat, ni.lon, ni.location_text, ni.island, ni.version,"
          + " %s.responded, n.first_seen, n.last_seen";

  /** The nodes of crawl {@code id}, as that crawl saw them. */
  public List<Views.Node> nodes(long id) {
    return query(
        "select "
            + NODE_COLUMNS.formatted("cn")
            + " from crawl_node cn join node n on n.key = cn.key"
            + " left join nodeinfo ni on ni.hash = cn.nodeinfo_hash"
            + " where cn.crawl_id = ? order by n.key",
        id,
        TopologyStore::node);
  }

  public List<Views.Link> links(long id) {
    return query(
        "select l.a, l.b, l.first_seen, l.last_seen from crawl_link cl"
            + " join link l on l.a = cl.a and l.b = cl.b where cl.crawl_id = ? order by l.a, l.b",
        id,
        TopologyStore::link);
  }

  public List<Views.Record> records(long id) {
    return query(
        "select r.name, r.found_at, r.valid, r.reason, r.detail, r.note, r.first_seen,"
            + " r.last_seen from crawl_record cr join harvested_record r"
            + " on r.note_hash = cr.note_hash where cr.crawl_id = ? order by r.name, r.found_at",
        id,
        TopologyStore::record);
  }

  /** A node by key or address, with its links and records. */
  public Optional<Views.NodeDetail> node(String keyOrAddress) {
    List<NodeRow> found =
        query(
            "select "
                + NODE_COLUMNS.formatted("n")
                + ", ni.content::text, n.last_crawl from node n"
                + " left join nodeinfo ni on ni.hash = n.nodeinfo_hash"
                + " where n.key = ? or n.address = ?",
            keyOrAddress,
            rs -> new NodeRow(node(rs), rs.getString(12), rs.getLong(13)));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    NodeRow row = found.get(0);
    String key = row.node().key();
    List<Views.Link> links =
        query(
            "select a, b, first_seen, last_seen from link where a = ? or b = ? order by a, b",
            key,
            TopologyStore::link);
    List<Views.Record> records =
        query(
            "select name, found_at, valid, reason, detail, note, first_seen, last_seen"
                + " from harvested_record where found_at = ? order by name",
            key,
            TopologyStore::record);
    return Optional.of(
        new Views.NodeDetail(row.node(), links, records, parse(row.nodeInfo()), row.lastCrawl()));
  }

  /** A node row with the columns only the detail view has. */
  private record NodeRow(Views.Node node, String nodeInfo, long lastCrawl) {}

  /** Stored NodeInfo as JSON; it was valid JSON when stored, so failure means no NodeInfo. */
  private JsonNode parse(String content) {
    try {
      return content == null ? null : json.readTree(content);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static Views.Node node(ResultSet rs) throws SQLException {
    Double lat = (Double) rs.getObject(4);
    Double lon = (Double) rs.getObject(5);
    String text = rs.getString(6);
    Views.Location loc = lat == null && text == null ? null : new Views.Location(lat, lon, text);
    return new Views.Node(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        loc,
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        instant(rs.getTimestamp(10)),
        instant(rs.getTimestamp(11)));
  }

  private static Views.Link link(ResultSet rs) throws SQLException {
    return new Views.Link(
        rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)));
  }

  private static Views.Record record(ResultSet rs) throws SQLException {
    return new Views.Record(
        rs.getString(1),
        rs.getString(2),
        rs.getBoolean(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        instant(rs.getTimestamp(7)),
        instant(rs.getTimestamp(8)));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  /** Maps one row; may throw SQLException. */
  private interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs {@code sql}, binding {@code param} to each of its {@code uses} placeholders. */
  private <T> List<T> query(String sql, Object param, Row<T> row) {
    int uses = (int) sql.chars().filter(ch -> ch == '?').count();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 1; i <= uses; i++) {
        s.setObject(i, param);
      }
      List<T> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(row.map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new CrawlerException("reading the topology failed: " + e.getMessage(), e);
    }
  }
}
