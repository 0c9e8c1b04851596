package org.canopymesh.agent.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.canopymesh.agent.AgentException;
import org.canopymesh.agent.state.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportQueueTest {
  @TempDir Path dir;

  static byte[] note(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<Long> drain(ReportQueue q) {
    List<Long> seqs = new ArrayList<>();
    for (Optional<ReportQueue.Entry> e = q.oldest(); e.isPresent(); e = q.oldest()) {
      seqs.add(e.get().seq());
      q.remove(e.get());
    }
    return seqs;
  }

  @Test
  void reportsComeOutOldestFirstAndSurviveAReopen() {
    ReportQueue q = ReportQueue.open(dir, 10, 1 << 20);
    q.add(1_000_000_000_123L, note("c"));
    q.add(99, note("a"));
    q.add(1_000, note("b"));
    ReportQueue again = ReportQueue.open(dir, 10, 1 << 20);
    assertEquals(3, again.size());
    assertEquals(3, again.bytes());
    assertArrayEquals(note("a"), again.read(again.oldest().orElseThrow()).orElseThrow());
    assertEquals(List.of(99L, 1_000L, 1_000_000_000_123L), drain(again));
    assertEquals(0, ReportQueue.open(dir, 10, 1 << 20).size());
  }

  @Test
  void theCountBoundDropsTheOldest() {
    ReportQueue q = ReportQueue.open(dir, 3, 1 << 20);
    int dropped = 0;
    for (long seq = 1; seq <= 5; seq++) {
      dropped += q.add(seq, note("report " + seq));
    }
    assertEquals(2, dropped);
    assertEquals(List.of(3L, 4L, 5L), drain(q));
  }

  @Test
  void theByteBoundDropsTheOldest() {
    ReportQueue q = ReportQueue.open(dir, 100, 25);
    assertEquals(0, q.add(1, note("x".repeat(10))));
    assertEquals(0, q.add(2, note("x".repeat(10))));
    assertEquals(1, q.add(3, note("x".repeat(10))));
    assertEquals(20, q.bytes());
    assertEquals(List.of(2L, 3L), drain(q));
  }

  @Test
  void aWriteCutShortByACrashLeavesNoReport() throws IOException {
    ReportQueue q = ReportQueue.open(dir, 10, 1 << 20);
    q.add(7, note("whole"));
    // What a crash between write and rename leaves: the temporary file only.
    Path half = dir.resolve("." + ReportQueue.name(8) + AtomicFiles.TEMP_SUFFIX);
    Files.writeString(half, "canopy-report/v1\nkey ");
    Files.writeString(dir.resolve("url"), "http://map.example/\n");
    Files.writeString(dir.resolve("notes.txt"), "an operator's file");
    ReportQueue reopened = ReportQueue.open(dir, 10, 1 << 20);
    assertFalse(Files.exists(half));
    assertTrue(Files.exists(dir.resolve("notes.txt")), "files that are not reports stay");
    assertEquals(List.of(7L), drain(reopened));
  }

  @Test
  void removingTwiceOrReadingADroppedReportIsHarmless() {
    ReportQueue q = ReportQueue.open(dir, 1, 1 << 20);
    q.add(1, note("a"));
    ReportQueue.Entry first = q.oldest().orElseThrow();
    q.add(2, note("b")); // drops 1
    assertEquals(Optional.empty(), q.read(first));
    q.remove(first);
    assertEquals(1, q.size());
  }

  @Test
  void namesSortAsNumbers() {
    assertEquals("00000000000000000099.report", ReportQueue.name(99));
    assertEquals("18446744073709551615.report", ReportQueue.name(-1));
  }

  @Test
  void sequenceGrowsWithTheClockAndAcrossRestartsEvenIfTheClockStepsBack() throws IOException {
    Instant t = Instant.ofEpochMilli(1_795_262_400_000L);
    ReportSequence s = ReportSequence.open(dir);
    assertEquals(t.toEpochMilli(), s.next(t));
    assertEquals(t.toEpochMilli() + 1, s.next(t));
    assertEquals(t.toEpochMilli() + 5_000, s.next(t.plusSeconds(5)));
    ReportSequence reopened = ReportSequence.open(dir);
    assertEquals(t.toEpochMilli() + 5_001, reopened.next(t.minusSeconds(3600)));
    assertEquals(
        (t.toEpochMilli() + 5_001) + "\n", Files.readString(dir.resolve(ReportSequence.FILE)));
  }

  @Test
  void aDamagedSequenceFileIsAnErrorThatSaysWhatToDo() throws IOException {
    Files.writeString(dir.resolve(ReportSequence.FILE), "twelve");
    AgentException e = assertThrows(AgentException.class, () -> ReportSequence.open(dir));
    assertTrue(e.getMessage().contains("remove it to restart numbering"), e.getMessage());
  }
}
