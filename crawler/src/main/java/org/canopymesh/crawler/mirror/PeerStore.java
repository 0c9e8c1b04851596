package org.canopymesh.crawler.mirror;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.canopymesh.crawler.CrawlerException;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.log.TreeFrontier;

/** Peer sync state, witness state and evidence in PostgreSQL. */
@ApplicationScoped
public class PeerStore {
  @Inject AgroalDataSource dataSource;

  /** A peer's newest cosigned checkpoint, as a witness keeps it. */
  public record Cosigned(long size, byte[] root, String checkpoint) {}

  public PeerState load(String origin) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select checkpoint, size, root, synced, frontier, cosigned_size, last_sync,"
                    + " last_error from peer_log where origin = ?")) {
      s.setString(1, origin);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return PeerState.fresh(origin);
        }
        Timestamp last = rs.getTimestamp(7);
        return new PeerState(
            origin,
            rs.getString(1),
            rs.getLong(2),
            rs.getBytes(3),
            frontier(rs.getLong(4), rs.getBytes(5)),
            rs.getLong(6),
            last == null ? null : last.toInstant(),
            rs.getString(8));
      }
    } catch (SQLException e) {
      throw failure("read the state of peer " + origin, e);
    }
  }

  public void save(PeerState p, String url) {
    byte[] packed = new byte[p.frontier().hashes().size() * LogHashes.SIZE];
    int at = 0;
    for (byte[] h : p.frontier().hashes()) {
      System.arraycopy(h, 0, packed, at, h.length);
      at += h.length;
    }
    execute(
        "insert into peer_log (origin, url, checkpoint, size, root, synced, frontier,"
            + " cosigned_size, last_sync, last_error) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (origin) do update set url = excluded.url, checkpoint ="
            + " excluded.checkpoint, size = excluded.size, root = excluded.root, synced ="
            + " excluded.synced, frontier = excluded.frontier, cosigned_size ="
            + " excluded.cosigned_size, last_sync = excluded.last_sync, last_error ="
            + " excluded.last_error",
        p.origin(),
        url,
        p.checkpoint(),
        p.size(),
        p.root(),
        p.synced(),
        packed,
        p.cosignedSize(),
        p.lastSync() == null ? null : Timestamp.from(p.lastSync()),
        p.lastError());
  }

  private static TreeFrontier frontier(long size, byte[] packed) {
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i + LogHashes.SIZE <= packed.length; i += LogHashes.SIZE) {
      hashes.add(Arrays.copyOfRange(packed, i, i + LogHashes.SIZE));
    }
    return TreeFrontier.of(size, hashes);
  }

  // ---- witness ----

  /**
   * Runs {@code step} with the peer's newest cosigned checkpoint while holding a row lock on it, so
   * two submissions for one log are checked and recorded one after the other (tlog-witness requires
   * the check and the update to be atomic).
   */
  public <T> T withCosigned(String origin, WitnessStep<T> step) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement lock =
            c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
          lock.setString(1, "witness:" + origin);
          lock.execute();
        }
        WitnessStep.Outcome<T> outcome = step.apply(cosigned(c, origin));
        if (outcome.update().isPresent()) {
          putCosigned(c, origin, outcome.update().get());
        }
        c.commit();
        return outcome.result();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure("update the witness state of " + origin, e);
    }
  }

  /** A witness check that may move the cosigned state forward. */
  public interface WitnessStep<T> {
    /** What to answer and the new state, if any. */
    record Outcome<T>(T result, Optional<Cosigned> update) {}

    Outcome<T> apply(Optional<Cosigned> current);
  }

  public Optional<Cosigned> cosigned(String origin) {
    try (Connection c = dataSource.getConnection()) {
      return cosigned(c, origin);
    } catch (SQLException e) {
      throw failure("read the witness state of " + origin, e);
    }
  }

  private static Optional<Cosigned> cosigned(Connection c, String origin) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select size, root, checkpoint from witness_state where origin = ?")) {
      s.setString(1, origin);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new Cosigned(rs.getLong(1), rs.getBytes(2), rs.getString(3)))
            : Optional.empty();
      }
    }
  }

  private static void putCosigned(Connection c, String origin, Cosigned w) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into witness_state (origin, size, root, checkpoint, cosigned_at)"
                + " values (?, ?, ?, ?, now()) on conflict (origin) do update set size ="
                + " excluded.size, root = excluded.root, checkpoint = excluded.checkpoint,"
                + " cosigned_at = excluded.cosigned_at")) {
      s.setString(1, origin);
      s.setLong(2, w.size());
      s.setBytes(3, w.root());
      s.setString(4, w.checkpoint());
      s.executeUpdate();
    }
  }

  // ---- evidence ----

  public void addEvidence(Evidence e) {
    execute(
        "insert into evidence (origin, kind, detail, first, second, found_at)"
            + " values (?, ?, ?, ?, ?, ?)",
        e.origin(),
        e.kind().label(),
        e.detail(),
        e.first(),
        e.second(),
        Timestamp.from(e.foundAt()));
  }

  public List<Evidence> evidence() {
    List<Evidence> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select origin, kind, detail, first, second, found_at from evidence order by id");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Evidence(
                rs.getString(1),
                EvidenceKind.valueOf(rs.getString(2).toUpperCase().replace('-', '_')),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getTimestamp(6).toInstant()));
      }
      return out;
    } catch (SQLException e) {
      throw failure("read the evidence", e);
    }
  }

  public boolean isDistrusted(String origin) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("select 1 from evidence where origin = ? limit 1")) {
      s.setString(1, origin);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw failure("read the evidence", e);
    }
  }

  private void execute(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    } catch (SQLException e) {
      throw failure("write the mirror state", e);
    }
  }

  private static CrawlerException failure(String what, SQLException e) {
    return new CrawlerException("could not " + what + ": " + e.getMessage(), e);
  }
}
