package org.canopymesh.map.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the service spends its CPU during a phase: a JDK Flight Recorder recording of the service
 * (started and dumped with {@code jcmd}; its {@code profile} settings sample running Java threads
 * every 10 ms at a cost of a percent or two), summarised as the share of samples per thread and per
 * method of ours (the innermost {@code org.canopymesh} frame), plus the GC pauses.
 */
final class Profile {
  private final MapProcess svc;
  private final Path file;

  private Profile(MapProcess svc, Path file) {
    this.svc = svc;
    this.file = file;
  }

  static Profile start(MapProcess svc, String name) {
    Path file = svc.dir().resolve(name + ".jfr").toAbsolutePath();
    String out = svc.jcmd("JFR.start", "name=" + name, "settings=profile");
    if (!out.contains("Started recording")) {
      System.out.println("  note: JFR did not start: " + out.strip());
    }
    return new Profile(svc, file);
  }

  /** Stops the recording and prints its summary. */
  void stopAndPrint(String name, int top) {
    svc.jcmd("JFR.dump", "name=" + name, "filename=" + file);
    svc.jcmd("JFR.stop", "name=" + name);
    if (!Files.exists(file)) {
      System.out.println("  no profile was written");
      return;
    }
    try {
      print(RecordingFile.readAllEvents(file), top);
    } catch (IOException e) {
      System.out.println("  cannot read the profile " + file + ": " + e.getMessage());
    }
  }

  private void print(List<RecordedEvent> events, int top) {
    Map<String, Integer> byThread = new HashMap<>();
    Map<String, Integer> byOurs = new HashMap<>();
    Map<String, Integer> byLeaf = new HashMap<>();
    int samples = 0;
    int gcs = 0;
    Duration pauses = Duration.ZERO;
    Duration longest = Duration.ZERO;
    for (RecordedEvent e : events) {
      String type = e.getEventType().getName();
      if (type.equals("jdk.GarbageCollection")) {
        gcs++;
        Duration d = e.getDuration("sumOfPauses");
        pauses = pauses.plus(d);
        longest = d.compareTo(longest) > 0 ? d : longest;
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
    printTop("by thread", byThread, samples, top);
    printTop("by innermost method of ours (thread: method)", byOurs, samples, top);
    printTop("by innermost method (leaf)", byLeaf, samples, top);
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
