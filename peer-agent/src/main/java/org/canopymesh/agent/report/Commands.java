package org.canopymesh.agent.report;

import java.util.List;

/** Runs a local tool; a seam so that tests can replay captured outputs. */
@FunctionalInterface
interface Commands {
  /**
   * Runs {@code command} (program and arguments, no shell) and returns its exit code and output.
   *
   * @throws CommandException if it is not installed, runs too long or prints too much
   */
  Result run(List<String> command);

  /** What a command printed; a non-zero exit code is the caller's to judge. */
  record Result(int exitCode, String stdout, String stderr) {
    /** The first line of standard error, for a one-line warning. */
    String firstErrorLine() {
      String s = stderr.strip();
      int nl = s.indexOf('\n');
      String line = nl < 0 ? s : s.substring(0, nl);
      return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
  }
}
