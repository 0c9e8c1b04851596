package org.canopymesh.agent.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.canopymesh.agent.AgentException;
import org.canopymesh.agent.state.AtomicFiles;

/**
 * The reports waiting for one destination: a directory with one file per report, named by its
 * {@code seq} (20 digits, so names sort as numbers), each written whole ({@link AtomicFiles}).
 * Reports made during an outage wait here, in order, and survive a restart. Bounded in count and
 * bytes: past either bound the oldest reports go first, since the newest say most about the node
 * now. Thread-safe.
 */
final class ReportQueue {
  static final String SUFFIX = ".report";

  /** One queued report. */
  record Entry(long seq, Path file, long size) {}

  private final Path dir;
  private final int maxReports;
  private final long maxBytes;
  private final TreeMap<String, Entry> entries = new TreeMap<>();
  private long bytes;

  private ReportQueue(Path dir, int maxReports, long maxBytes) {
    this.dir = dir;
    this.maxReports = maxReports;
    this.maxBytes = maxBytes;
  }

  /**
   * Opens (and creates) the queue in {@code dir}: leftovers of an interrupted write are deleted,
   * files that are not reports are left alone.
   */
  static ReportQueue open(Path dir, int maxReports, long maxBytes) {
    if (maxReports < 1 || maxBytes < 1) {
      throw new IllegalArgumentException(
          "a queue holds at least one report, not " + maxReports + " / " + maxBytes + " bytes");
    }
    ReportQueue q = new ReportQueue(dir, maxReports, maxBytes);
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path f : files) {
          q.index(f);
        }
      }
    } catch (IOException e) {
      throw new AgentException("cannot open the report queue " + dir + ": " + e.getMessage());
    }
    return q;
  }

  private void index(Path f) throws IOException {
    String name = f.getFileName().toString();
    if (name.startsWith(".") && name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
      Files.deleteIfExists(f); // a write that never finished
      return;
    }
    if (name.length() != 20 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
      return;
    }
    try {
      long seq = Long.parseUnsignedLong(name.substring(0, 20));
      Entry e = new Entry(seq, f, Files.size(f));
      entries.put(name, e);
      bytes += e.size();
    } catch (NumberFormatException e) {
      // Not one of ours.
    }
  }

  /**
   * Adds a report; returns how many old reports were dropped to stay within the bounds.
   *
   * @throws AgentException if it cannot be written
   */
  synchronized int add(long seq, byte[] note) {
    String name = name(seq);
    Path file = dir.resolve(name);
    try {
      AtomicFiles.write(file, note);
    } catch (IOException e) {
      throw new AgentException(
          "cannot queue report "
              + Long.toUnsignedString(seq)
              + " in "
              + dir
              + ": "
              + e.getMessage());
    }
    Entry old = entries.put(name, new Entry(seq, file, note.length));
    bytes += note.length - (old == null ? 0 : old.size());
    int dropped = 0;
    while (entries.size() > maxReports || bytes > maxBytes) {
      remove(entries.firstEntry().getValue());
      dropped++;
    }
    return dropped;
  }

  /** The oldest report, the next to send. */
  synchronized Optional<Entry> oldest() {
    Map.Entry<String, Entry> first = entries.firstEntry();
    return first == null ? Optional.empty() : Optional.of(first.getValue());
  }

  /** The bytes of {@code e}, or empty if it was dropped meanwhile. */
  Optional<byte[]> read(Entry e) {
    try {
      return Optional.of(Files.readAllBytes(e.file()));
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (IOException io) {
      throw new AgentException("cannot read queued report " + e.file() + ": " + io.getMessage());
    }
  }

  /** Removes {@code e} (delivered, refused or dropped); removing it twice is harmless. */
  synchronized void remove(Entry e) {
    Entry removed = entries.remove(e.file().getFileName().toString());
    if (removed == null) {
      return;
    }
    bytes -= removed.size();
    try {
      AtomicFiles.delete(removed.file());
    } catch (IOException io) {
      throw new AgentException(
          "cannot remove queued report " + removed.file() + ": " + io.getMessage());
    }
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long bytes() {
    return bytes;
  }

  Path dir() {
    return dir;
  }

  static String name(long seq) {
    String digits = Long.toUnsignedString(seq);
    return "0".repeat(20 - digits.length()) + digits + SUFFIX;
  }
}
