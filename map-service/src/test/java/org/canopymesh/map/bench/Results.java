package org.canopymesh.map.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures of a run, each next to its target, printed as a table at the end. */
final class Results {
  /**
   * One figure; {@code met} null when it has no target; {@code load} the 1-minute load average when
   * it was taken (the machine has two cores: above 2, something waited for a CPU).
   */
  record Row(String what, String target, String measured, Boolean met, String load) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  synchronized void add(String what, String target, String measured, Boolean met) {
    rows.add(new Row(what, target, measured, met, loadAverage().split(" ")[0]));
    System.out.printf(
        Locale.ROOT, "  => %s: %s (target %s)%s%n", what, measured, target, verdict(met));
  }

  synchronized void info(String what, String measured) {
    add(what, "-", measured, null);
  }

  synchronized void note(String note) {
    notes.add(note);
    System.out.println("  note: " + note);
  }

  private static String verdict(Boolean met) {
    return met == null ? "" : met ? "  ok" : "  MISSED";
  }

  void print(PrintStream out, String header) {
    out.println();
    out.println("== Summary ==");
    out.println(header);
    int w = rows.stream().mapToInt(r -> r.what().length()).max().orElse(10);
    int t = rows.stream().mapToInt(r -> r.target().length()).max().orElse(10);
    out.printf(
        Locale.ROOT, "%-" + w + "s | %-" + t + "s | load | %s%n", "figure", "target", "measured");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "%-" + w + "s | %-" + t + "s | %4s | %s%s%n",
          r.what(),
          r.target(),
          r.load(),
          r.measured(),
          verdict(r.met()));
    }
    for (String n : notes) {
      out.println("note: " + n);
    }
  }

  /** The machine's load averages, from {@code /proc/loadavg}. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
