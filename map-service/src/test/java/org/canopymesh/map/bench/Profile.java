package org.canopymesh.map.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.canopymesh.map.testing.MapProcess;

/**
 * Where the service spends its CPU during a phase: a JDK Flight Recorder recording (its {@code
 * profile} settings sample running Java threads every 10 ms at a cost of a percent or two) started
 * with the service, dumped with {@code jcmd} and cut to the phase, summarised as the share of
 * samples per thread and per method of ours (the innermost {@code org.canopymesh} frame), plus the
 * GC pauses.
 *
 * <p>Started with the JVM, not by {@code jcmd JFR.start} on the running service: starting JFR late
 * redefines classes, which throws away compiled code, and under load the service then ran Ed25519
 * verification interpreted, many times slower, for much of a minute.
 */
final class Profile {
  static final String RECORDING = "bench";

  private Profile() {}

  /** The service's JVM option that starts the recording. */
  static String jvmOption() {
    return "-XX:StartFlightRecording=name=" + RECORDING + ",settings=profile";
  }

  /** Dumps the recording and prints what it sampled from {@code from} to {@code to}. */
  static void print(MapProcess svc, Instant from, Instant to, int top) {
    Path file = svc.dir().resolve("service.jfr").toAbsolutePath();
    String out = svc.jcmd("JFR.dump", "name=" + RECORDING, "filename=" + file);
    if (!Files.exists(file)) {
      System.out.println("  no profile was written: " + out.strip());
      return;
    }
    try {
      List<RecordedEvent> events = new ArrayList<>();
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        if (!e.getStartTime().isBefore(from) && !e.getStartTime().isAfter(to)) {
          events.add(e);
        }
      }
      print(events, top, from);
    } catch (IOException e) {
      System.out.println("  cannot read the profile " + file + ": " + e.getMessage());
    }
  }

  /** Stops the recording, so that its buffers do not count in the memory figures. */
  static void stop(MapProcess svc) {
    svc.jcmd("JFR.stop", "name=" + RECORDING);
  }

  private static void print(List<RecordedEvent> events, int top, Instant from) {
    Map<String, Integer> byThread = new HashMap<>();
    Map<String, Integer> byOurs = new HashMap<>();
    Map<String, Integer> byLeaf = new HashMap<>();
    Map<String, Integer> byStep = new HashMap<>();
    List<Instant> recomputing = new ArrayList<>();
    Map<String, Latencies> waits = new TreeMap<>();
    Map<String, TreeMap<Double, String>> longestWaits = new HashMap<>();
    int samples = 0;
    int gcs = 0;
    Map<String, Integer> pauseAt = new HashMap<>();
    Duration pauses = Duration.ZERO;
    Duration longest = Duration.ZERO;
    for (RecordedEvent e : events) {
      String type = e.getEventType().getName();
      if (type.equals("jdk.GarbageCollection")) {
        gcs++;
        Duration d = e.getDuration("sumOfPauses");
        pauses = pauses.plus(d);
        pauseAt.put(
            String.format(
                Locale.ROOT,
                "%.1f s",
                Duration.between(from, e.getStartTime()).toMillis() / 1000.0),
            (int) d.toMillis());
        longest = d.compareTo(longest) > 0 ? d : longest;
        continue;
      }
      if (type.equals("jdk.SocketRead") && e.getThread() != null) {
        // Over 10 ms (the profile's threshold): on these threads, waits for PostgreSQL.
        String t = String.valueOf(e.getThread().getJavaName()).replaceAll("[0-9]+", "#");
        double ms = e.getDuration().toNanos() / 1e6;
        waits.computeIfAbsent(t, k -> new Latencies()).add(ms);
        longestWaits
            .computeIfAbsent(t, k -> new TreeMap<>())
            .put(
                ms,
                String.format(
                    Locale.ROOT,
                    "%.1f s",
                    Duration.between(from, e.getStartTime()).toMillis() / 1000.0));
        continue;
      }
      if (!type.equals("jdk.ExecutionSample")) {
        continue;
      }
      samples++;
      String thread = e.getThread("sampledThread").getJavaName();
      thread = thread == null ? "?" : thread.replaceAll("[0-9]+", "#");
      byThread.merge(thread, 1, Integer::sum);
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      byLeaf.merge(frame(st.getFrames().get(0)), 1, Integer::sum);
      if (thread.equals("live-map")) {
        byStep.merge(step(st.getFrames()), 1, Integer::sum);
        recomputing.add(e.getStartTime());
      }
      for (RecordedFrame f : st.getFrames()) {
        if (f.getMethod().getType().getName().startsWith("org.canopymesh")) {
          byOurs.merge(thread + ": " + frame(f), 1, Integer::sum);
          break;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  profile: %,d CPU samples of the service's Java threads; %d GCs, %d ms of pauses in all,"
            + " the longest %d ms%n",
        samples,
        gcs,
        pauses.toMillis(),
        longest.toMillis());
    StringBuilder longest5 = new StringBuilder("  the longest GC pauses (since the phase began):");
    pauseAt.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(5)
        .forEach(
            p ->
                longest5
                    .append(' ')
                    .append(p.getValue())
                    .append(" ms at ")
                    .append(p.getKey())
                    .append(';'));
    System.out.println(longest5);
    printTop("by thread", byThread, samples, top);
    printTop("by innermost method of ours (thread: method)", byOurs, samples, top);
    printTop("by innermost method (leaf)", byLeaf, samples, top);
    int steps = byStep.values().stream().mapToInt(Integer::intValue).sum();
    printTop("live-map thread, by step of the recompute", byStep, steps, top);
    System.out.println("  " + bursts(recomputing));
    waits.forEach(
        (thread, l) -> {
          StringBuilder at = new StringBuilder();
          longestWaits.get(thread).descendingMap().entrySet().stream()
              .limit(3)
              .forEach(
                  w ->
                      at.append(
                          String.format(
                              Locale.ROOT,
                              "%s%.0f ms at %s",
                              at.length() == 0 ? "" : ", ",
                              w.getKey(),
                              w.getValue())));
          System.out.printf(
              Locale.ROOT,
              "  %s: %,d socket reads (JDBC: waits for PostgreSQL) over 10 ms, %s in all; %s;"
                  + " the longest %s%n",
              thread,
              l.count(),
              Latencies.ms(l.mean() * l.count()),
              l.summary(),
              at);
        });
  }

  /** The step of {@code LiveMap} a live-map sample is in, two calls deep. */
  private static String step(List<RecordedFrame> frames) {
    for (int i = 0; i < frames.size(); i++) {
      String f = frame(frames.get(i));
      if (f.equals("LiveMap.recompute") || f.equals("LiveMap.remember")) {
        String s = f;
        for (int j = i - 1; j >= Math.max(0, i - 2); j--) {
          s += " > " + frame(frames.get(j));
        }
        return s;
      }
    }
    return frames.isEmpty() ? "?" : "other: " + frame(frames.get(frames.size() - 1));
  }

  /**
   * The live-map thread's runs: samples less than 150 ms apart belong to one recompute (they are at
   * least the 200 ms debounce apart), so a run's length is about one recompute's CPU time.
   */
  private static String bursts(List<Instant> samples) {
    samples.sort(null);
    Latencies runs = new Latencies();
    Instant first = null;
    Instant last = null;
    for (Instant t : samples) {
      if (last != null && Duration.between(last, t).toMillis() > 150) {
        runs.add(Duration.between(first, last).toMillis() + 10);
        first = null;
      }
      if (first == null) {
        first = t;
      }
      last = t;
    }
    if (first != null) {
      runs.add(Duration.between(first, last).toMillis() + 10);
    }
    return String.format(
        Locale.ROOT,
        "live-map runs (about one recompute each, from its samples): %d, p50 %s, p90 %s, max %s",
        runs.count(),
        Latencies.ms(runs.p50()),
        Latencies.ms(runs.percentile(90)),
        Latencies.ms(runs.max()));
  }

  private static void printTop(String title, Map<String, Integer> counts, int total, int top) {
    System.out.println("  " + title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "    %5.1f %%  %s%n",
                    100.0 * e.getValue() / Math.max(1, total),
                    e.getKey()));
  }

  private static String frame(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }
}
