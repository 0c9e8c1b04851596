package org.canopymesh.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real processes: the bounds hold whatever a tool does. */
class ProcessCommandsTest {
  final ProcessCommands commands = new ProcessCommands(Duration.ofMillis(500), 64 * 1024);

  @Test
  void returnsExitCodeAndBothStreams() {
    Commands.Result r =
        commands.run(List.of("/bin/sh", "-c", "echo out; echo 'Error - no bat0' >&2; exit 3"));
    assertEquals(3, r.exitCode());
    assertEquals("out\n", r.stdout());
    assertEquals("Error - no bat0", r.firstErrorLine());
  }

  @Test
  void aMissingProgramIsAClearError() {
    CommandException e =
        assertThrows(
            CommandException.class, () -> commands.run(List.of("canopy-no-such-tool", "-H")));
    assertEquals(CommandException.Kind.MISSING, e.kind());
    assertTrue(e.getMessage().contains("canopy-no-such-tool is not installed"), e.getMessage());
  }

  @Test
  void aHungToolIsStoppedAtItsTimeLimit() {
    long start = System.nanoTime();
    CommandException e =
        assertThrows(CommandException.class, () -> commands.run(List.of("sleep", "30")));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(CommandException.Kind.TIMEOUT, e.kind());
    assertTrue(ms < 5_000, "took " + ms + " ms");
  }

  @Test
  void endlessOutputIsCutAtTheLimitAndTheToolStopped() {
    long start = System.nanoTime();
    CommandException e = assertThrows(CommandException.class, () -> commands.run(List.of("yes")));
    assertEquals(CommandException.Kind.TOO_LARGE, e.kind());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000);
  }

  @Test
  void outputJustUnderTheLimitIsReadWhole() {
    Commands.Result r = commands.run(List.of("head", "-c", "65536", "/dev/zero"));
    assertEquals(65536, r.stdout().length());
  }

  @Test
  void aChildLeftHoldingThePipeDoesNotHoldTheCallerLong() {
    long start = System.nanoTime();
    Commands.Result r = commands.run(List.of("/bin/sh", "-c", "sleep 3 & echo started"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals("started\n", r.stdout());
    assertTrue(ms < 2_900, "took " + ms + " ms");
  }
}
