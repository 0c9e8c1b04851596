package org.canopymesh.map.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The machine's CPU over a phase, split into ours (this client and everything it started: the
 * service, its PostgreSQL, chromedriver and Chromium) and everybody else's. The load average alone
 * cannot tell the two apart: the service's own busy threads raise it too. A process that exits
 * during the phase takes its CPU time with it, so "others" is an upper bound.
 */
final class MachineCpu {
  /** USER_HZ: {@code /proc/stat} counts in hundredths of a second on Linux. */
  private static final double TICKS = 100;

  private final long start = System.nanoTime();
  private final double busy0 = busySeconds();
  private final Map<Long, Double> ours0 = ours();

  static MachineCpu start() {
    return new MachineCpu();
  }

  /** What happened since {@link #start()}. */
  String since() {
    double wall = (System.nanoTime() - start) / 1e9;
    double busy = busySeconds() - busy0;
    double ours = 0;
    for (Map.Entry<Long, Double> e : ours().entrySet()) {
      ours += e.getValue() - ours0.getOrDefault(e.getKey(), 0.0);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    return String.format(
        Locale.ROOT,
        "machine %.0f %% busy over %.0f s (%d cores): ours %.1f core-s, other processes about %.1f core-s"
            + " (%.0f %% of the machine)",
        100 * busy / (wall * cores),
        wall,
        cores,
        ours,
        Math.max(0, busy - ours),
        100 * Math.max(0, busy - ours) / (wall * cores));
  }

  private static Map<Long, Double> ours() {
    Map<Long, Double> out = new HashMap<>();
    ProcessHandle self = ProcessHandle.current();
    out.put(self.pid(), cpu(self));
    self.descendants().forEach(p -> out.put(p.pid(), cpu(p)));
    return out;
  }

  private static double cpu(ProcessHandle p) {
    return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  /** Busy CPU seconds of all cores since boot: user, nice, system, irq, softirq, steal. */
  private static double busySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy / TICKS;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
