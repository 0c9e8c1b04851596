package org.canopymesh.agent.sync;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.canopymesh.agent.AgentException;
import org.canopymesh.agent.json.JsonException;
import org.canopymesh.agent.json.JsonTree;
import org.canopymesh.agent.state.AtomicFiles;
import org.canopymesh.naming.note.StrictBase64;
import org.canopymesh.naming.record.SignedRecord;

/**
 * One mirror's verified copy on disk: {@code entries}, the log's entries, each a 4-byte length and
 * the record's bytes, only ever appended to; and {@code state.json}, what was verified (the
 * checkpoint, how many entries and bytes of {@code entries} it covers, the tree's right edge).
 *
 * <p>The state file is the commit point: entries are appended and synced first, then a new state
 * file replaces the old one by an atomic rename. A crash in between leaves entries past the state's
 * length, which {@link #forEachEntry} ignores and the next append cuts off.
 */
final class LogFiles {
  private static final int MAX_STATE = 64 * 1024;

  /**
   * What was verified.
   *
   * @param checkpoint the latest verified checkpoint note, cosignatures included
   * @param entries how many entries of the log the copy holds
   * @param entriesBytes how many bytes of the entries file they take
   * @param frontier the right edge of the tree of those entries
   * @param fault why the mirror is not trusted, or empty
   */
  record State(
      byte[] checkpoint, long entries, long entriesBytes, List<byte[]> frontier, String fault) {}

  private final Path dir;
  private final Path entriesFile;
  private final Path stateFile;

  LogFiles(Path dir) {
    this.dir = dir;
    this.entriesFile = dir.resolve("entries");
    this.stateFile = dir.resolve("state.json");
  }

  /** The stored state; empty if there is none; {@link AgentException} if it is unreadable. */
  Optional<State> readState() {
    if (!Files.exists(stateFile)) {
      return Optional.empty();
    }
    try {
      if (Files.size(stateFile) > MAX_STATE) {
        throw new AgentException(stateFile + " is over " + MAX_STATE + " bytes");
      }
      Object tree = JsonTree.parse(Files.readAllBytes(stateFile), JsonTree.Limits.CONFIG);
      Map<?, ?> m = (Map<?, ?>) tree;
      List<byte[]> frontier = new ArrayList<>();
      for (Object h : (List<?>) m.get("frontier")) {
        frontier.add(StrictBase64.decode((String) h));
      }
      return Optional.of(
          new State(
              ((String) m.get("checkpoint")).getBytes(StandardCharsets.UTF_8),
              (Long) m.get("entries"),
              (Long) m.get("entriesBytes"),
              frontier,
              m.get("fault") == null ? "" : (String) m.get("fault")));
    } catch (IOException | JsonException | ClassCastException | NullPointerException e) {
      throw new AgentException(stateFile + " is unreadable: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new AgentException(stateFile + " is malformed: " + e.getMessage(), e);
    }
  }

  /** Replaces the state file atomically. */
  void writeState(State s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("checkpoint", new String(s.checkpoint(), StandardCharsets.UTF_8));
    m.put("entries", s.entries());
    m.put("entriesBytes", s.entriesBytes());
    m.put("frontier", s.frontier().stream().map(StrictBase64::encode).toList());
    m.put("fault", s.fault().isEmpty() ? null : s.fault());
    try {
      AtomicFiles.write(stateFile, JsonTree.write(m).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + stateFile, e);
    }
  }

  /**
   * Calls {@code batch} with the first {@code count} entries, {@code batchSize} at a time; an
   * {@link AgentException} if the file holds fewer or is malformed.
   */
  void forEachEntry(long count, int batchSize, Consumer<List<byte[]>> batch) {
    if (count == 0) {
      return;
    }
    try (InputStream raw = Files.newInputStream(entriesFile);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      List<byte[]> page = new ArrayList<>(batchSize);
      for (long i = 0; i < count; i++) {
        int n = in.readInt();
        if (n < 1 || n > SignedRecord.MAX_BYTES) {
          throw new AgentException(entriesFile + ": entry " + i + " has a length of " + n);
        }
        byte[] e = new byte[n];
        in.readFully(e);
        page.add(e);
        if (page.size() == batchSize) {
          batch.accept(page);
          page = new ArrayList<>(batchSize);
        }
      }
      if (!page.isEmpty()) {
        batch.accept(page);
      }
    } catch (EOFException e) {
      throw new AgentException(entriesFile + " holds fewer than " + count + " entries");
    } catch (IOException e) {
      throw new AgentException("cannot read " + entriesFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * Appends {@code entries} after the first {@code length} bytes (cutting off anything an
   * interrupted append left) and syncs them to disk; returns the new length.
   */
  long append(long length, List<byte[]> entries) {
    try {
      Files.createDirectories(dir);
      try (FileChannel ch =
          FileChannel.open(entriesFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        ch.truncate(length);
        ch.position(length);
        int total = entries.stream().mapToInt(e -> 4 + e.length).sum();
        ByteBuffer buf = ByteBuffer.allocate(total);
        for (byte[] e : entries) {
          buf.putInt(e.length).put(e);
        }
        buf.flip();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
        return length + total;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + entriesFile, e);
    }
  }

  /** Removes the copy (a copy that fails its own checks is fetched again). */
  void delete() {
    try {
      Files.deleteIfExists(stateFile);
      Files.deleteIfExists(entriesFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the copy in " + dir, e);
    }
  }
}
