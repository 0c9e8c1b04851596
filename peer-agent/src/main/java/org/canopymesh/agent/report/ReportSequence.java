package org.canopymesh.agent.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import org.canopymesh.agent.AgentException;
import org.canopymesh.agent.state.AtomicFiles;

/**
 * The {@code seq} of the node's reports, strictly increasing across restarts: each is {@code
 * max(last + 1, now in unix milliseconds)}, and the last one is on disk ({@code report-seq} in the
 * state directory) before a report carries it. The clock keeps numbers growing even if the state
 * directory is lost; the file keeps them growing when the clock steps back. Receivers compare
 * unsigned, so the numbers never wrap in practice.
 */
final class ReportSequence {
  static final String FILE = "report-seq";

  private final Path file;
  private long last;

  private ReportSequence(Path file, long last) {
    this.file = file;
    this.last = last;
  }

  /**
   * Opens the sequence in {@code stateDir}. A missing file starts from the clock; an unreadable one
   * is an error, because guessing could repeat numbers already sent.
   */
  static ReportSequence open(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return new ReportSequence(file, Long.parseUnsignedLong(text));
    } catch (NoSuchFileException e) {
      return new ReportSequence(file, 0);
    } catch (IOException | NumberFormatException e) {
      throw new AgentException(
          file
              + " should hold the last report number and does not ("
              + e.getMessage()
              + "); remove it to restart numbering from the clock");
    }
  }

  /** The next number, already stored. */
  synchronized long next(Instant now) {
    long millis = now.toEpochMilli();
    long candidate = Long.compareUnsigned(last + 1, millis) >= 0 ? last + 1 : millis;
    try {
      AtomicFiles.write(
          file, (Long.toUnsignedString(candidate) + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new AgentException("cannot store the report number in " + file + ": " + e.getMessage());
    }
    last = candidate;
    return candidate;
  }

  synchronized long last() {
    return last;
  }
}
