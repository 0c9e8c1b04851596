package org.canopymesh.crawler.log;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.canopymesh.crawler.CrawlerException;
import org.canopymesh.naming.checkpoint.Checkpoint;
import org.canopymesh.naming.log.Proofs;
import org.canopymesh.naming.log.TreeFrontier;
import org.canopymesh.naming.note.Note;

/**
 * The naming log in PostgreSQL: entries, the hash of every complete subtree, signed checkpoints and
 * their cosignatures. Only {@link LogWriter} appends; everything else reads. A proof or root of any
 * size reads the O(log n) subtree hashes it needs in one query.
 */
@ApplicationScoped
public class LogStore {
  @Inject AgroalDataSource dataSource;

  /** Packs a subtree's level and index into one key: the level in the top byte. */
  static long nodeId(int level, long index) {
    return ((long) level << 56) | index;
  }

  /** Leaves committed. */
  public long size() {
    return query("select coalesce(max(idx) + 1, 0) from log_entry", rs -> rs.getLong(1));
  }

  /**
   * Appends {@code entries} as leaves {@code frontier.size()} onwards, with every subtree they
   * complete, in the caller's transaction. {@code frontier} is advanced as it goes: the caller
   * keeps it only once the transaction commits.
   */
  @Transactional
  public void append(List<LogEntry> entries, TreeFrontier frontier, Instant now) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement e =
            c.prepareStatement(
                "insert into log_entry (idx, leaf_hash, entry, source, appended_at)"
                    + " values (?, ?, ?, ?, ?)");
        PreparedStatement n = c.prepareStatement("insert into log_node (id, hash) values (?, ?)")) {
      Timestamp at = Timestamp.from(now);
      for (LogEntry entry : entries) {
        e.setLong(1, frontier.size());
        e.setBytes(2, entry.leafHash());
        e.setBytes(3, entry.entry());
        e.setString(4, entry.source());
        e.setTimestamp(5, at);
        e.addBatch();
        frontier.append(
            entry.leafHash(),
            (level, index, hash) -> {
              try {
                n.setLong(1, nodeId(level, index));
                n.setBytes(2, hash);
                n.addBatch();
              } catch (SQLException ex) {
                throw new LogStoreException("could not stage a tree hash", ex);
              }
            });
      }
      e.executeBatch();
      n.executeBatch();
    } catch (SQLException ex) {
      throw new LogStoreException("could not append " + entries.size() + " entries", ex);
    }
  }

  /** The log index of each of {@code leafHashes} that the log holds. */
  public Map<LeafHash, Long> indexesOf(List<byte[]> leafHashes) {
    Map<LeafHash, Long> found = new HashMap<>();
    if (leafHashes.isEmpty()) {
      return found;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("select leaf_hash, idx from log_entry where leaf_hash = any (?)")) {
      Array array = c.createArrayOf("bytea", leafHashes.toArray(new byte[0][]));
      s.setArray(1, array);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.put(new LeafHash(rs.getBytes(1)), rs.getLong(2));
        }
      }
      return found;
    } catch (SQLException ex) {
      throw new LogStoreException("could not look up entries", ex);
    }
  }

  /** Entries {@code [start, end)}. */
  public List<byte[]> entries(long start, long end) {
    List<byte[]> out = new ArrayList<>((int) Math.max(0, end - start));
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select entry from log_entry where idx >= ? and idx < ? order by idx")) {
      s.setLong(1, start);
      s.setLong(2, end);
      s.setFetchSize(1000);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getBytes(1));
        }
      }
      return out;
    } catch (SQLException ex) {
      throw new LogStoreException("could not read entries " + start + " to " + end, ex);
    }
  }

  /** {@code PATH(index, D[0:size])}; {@code size} at most {@code committed}. */
  public List<byte[]> inclusion(long index, long size, long committed) {
    return Prefetched.run(this, committed, t -> Proofs.inclusion(t, index, size));
  }

  /** {@code PROOF(from, D[0:to])}; {@code to} at most {@code committed}. */
  public List<byte[]> consistency(long from, long to, long committed) {
    return Prefetched.run(this, committed, t -> Proofs.consistency(t, from, to));
  }

  /** {@code MTH(D[0:size])}; {@code size} at most {@code committed}. */
  public byte[] root(long size, long committed) {
    return Prefetched.run(this, committed, t -> Proofs.root(t, size));
  }

  /** The frontier of the committed tree of {@code size} leaves. */
  public TreeFrontier frontier(long size) {
    return Prefetched.run(this, size, t -> TreeFrontier.of(t, size));
  }

  /** Subtree hashes by {@link #nodeId}. */
  Map<Long, byte[]> nodes(long[] ids) {
    Map<Long, byte[]> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("select id, hash from log_node where id = any (?)")) {
      Long[] boxed = new Long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        boxed[i] = ids[i];
      }
      s.setArray(1, c.createArrayOf("bigint", boxed));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getLong(1), rs.getBytes(2));
        }
      }
      return out;
    } catch (SQLException ex) {
      throw new LogStoreException("could not read tree hashes", ex);
    }
  }

  // ---- checkpoints ----

  @Transactional
  public void saveCheckpoint(SignedCheckpoint c) {
    update(
        "insert into log_checkpoint (size, root, note, signed_at) values (?, ?, ?, ?)",
        c.size(),
        c.checkpoint().rootHash(),
        c.note(),
        Timestamp.from(c.signedAt()));
  }

  public Optional<SignedCheckpoint> latestCheckpoint() {
    return Optional.ofNullable(
        query(
            "select note, signed_at from log_checkpoint order by size desc limit 1",
            rs -> {
              String note = rs.getString(1);
              Checkpoint c = Checkpoint.parse(Note.parse(note).text());
              return new SignedCheckpoint(c, note, rs.getTimestamp(2).toInstant());
            }));
  }

  /** The checkpoint as served, cached: it is read on every name lookup. */
  private volatile Served served;

  /** Counts stored cosignatures, so a cached text built before one arrived is not reused. */
  private final AtomicLong cosigned = new AtomicLong();

  private record Served(SignedCheckpoint checkpoint, long cosigned, String text) {}

  /** The checkpoint note with the cosignatures gathered for it. */
  public String served(SignedCheckpoint c) {
    Served s = served;
    long version = cosigned.get();
    if (s == null || s.checkpoint() != c || s.cosigned() != version) {
      StringBuilder b = new StringBuilder(c.note());
      for (String line : cosignatures(c.size())) {
        b.append(line).append('\n');
      }
      s = new Served(c, version, b.toString());
      served = s;
    }
    return s.text();
  }

  /**
   * Stores a peer's cosignature line of checkpoint {@code size}, replacing an older one. One
   * statement, committed on its own before the cached text is invalidated.
   */
  public void saveCosignature(long size, String witness, String line, Instant now) {
    update(
        "insert into log_cosignature (size, witness, line, received_at) values (?, ?, ?, ?)"
            + " on conflict (size, witness) do update set line = excluded.line,"
            + " received_at = excluded.received_at",
        size,
        witness,
        line,
        Timestamp.from(now));
    cosigned.incrementAndGet();
  }

  /** The cosignature lines gathered for checkpoint {@code size}, by witness name. */
  public List<String> cosignatures(long size) {
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select line from log_cosignature where size = ? order by witness")) {
      s.setLong(1, size);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException ex) {
      throw new LogStoreException("could not read cosignatures", ex);
    }
  }

  // ---- plumbing ----

  /** Reads one row's value, or null when there is no row. */
  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> T query(String sql, Row<T> row) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? row.read(rs) : null;
    } catch (SQLException ex) {
      throw new LogStoreException("could not read the log", ex);
    }
  }

  private void update(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    } catch (SQLException ex) {
      throw new LogStoreException("could not write the log", ex);
    }
  }

  /** A store failure; its message is for operators. */
  public static final class LogStoreException extends CrawlerException {
    private static final long serialVersionUID = 1L;

    LogStoreException(String message) {
      super(message);
    }

    LogStoreException(String message, Throwable cause) {
      super(message + ": " + cause.getMessage(), cause);
    }
  }
}
