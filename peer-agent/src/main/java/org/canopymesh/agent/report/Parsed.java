package org.canopymesh.agent.report;

import java.util.List;

/**
 * What a parser made of a tool's output: the rows it understood and how many other non-blank,
 * non-header lines it had to skip (a changed output format, or garbage).
 */
record Parsed<T>(List<T> rows, int skippedLines) {
  Parsed {
    rows = List.copyOf(rows);
  }
}
