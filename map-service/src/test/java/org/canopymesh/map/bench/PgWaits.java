package org.canopymesh.map.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the service's PostgreSQL backends wait on during a phase: {@code pg_stat_activity} sampled
 * every 50 ms on a connection of our own, counting each active backend by its wait event ("CPU"
 * when it waits on nothing; for a lock, with the start of the statement that waits), and when the
 * most backends waited at once. JFR shows that the service waits for the database; this shows for
 * what (the WAL, a lock, the disk).
 */
final class PgWaits implements AutoCloseable {
  private final Map<String, Integer> byEvent = new HashMap<>();
  private final Map<Integer, Integer> waitingBySecond = new TreeMap<>();
  private final Thread thread;
  private final long start = System.nanoTime();
  private volatile boolean running = true;
  private int samples;

  private PgWaits(String url) {
    thread =
        new Thread(
            () -> {
              try (Connection c = DriverManager.getConnection(url, "canopy", "");
                  PreparedStatement s =
                      c.prepareStatement(
                          "select coalesce(wait_event_type || ':' || wait_event || case when"
                              + " wait_event_type = 'Lock' then ' (' || left(query, 32) || ')'"
                              + " else '' end, 'CPU')"
                              + " from pg_stat_activity where state = 'active'"
                              + " and backend_type = 'client backend' and pid <> pg_backend_pid()")) {
                while (running) {
                  int waiting = 0;
                  try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                      String event = rs.getString(1);
                      synchronized (this) {
                        byEvent.merge(event, 1, Integer::sum);
                      }
                      waiting += event.equals("CPU") ? 0 : 1;
                    }
                  }
                  int second = (int) ((System.nanoTime() - start) / 1_000_000_000L);
                  synchronized (this) {
                    samples++;
                    waitingBySecond.merge(second, waiting, Math::max);
                  }
                  Thread.sleep(50);
                }
              } catch (Exception e) {
                System.out.println("  note: sampling pg_stat_activity stopped: " + e.getMessage());
              }
            },
            "pg-waits");
    thread.setDaemon(true);
    thread.start();
  }

  /** Samples the PostgreSQL of the service whose data directory is {@code serviceDir}. */
  static PgWaits start(Path serviceDir) throws Exception {
    Path pid = serviceDir.resolve("postgres").resolve("pgdata").resolve("postmaster.pid");
    String port = Files.readAllLines(pid).get(3).strip();
    return new PgWaits("jdbc:postgresql://127.0.0.1:" + port + "/canopy");
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Prints the wait events by share of active backend samples, and the worst seconds. */
  synchronized void print() {
    int total = byEvent.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "  PostgreSQL backends, %,d samples of pg_stat_activity (every 50 ms), active"
                    + " backends by wait:",
                samples));
    byEvent.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(6)
        .forEach(
            e ->
                b.append(
                    String.format(
                        Locale.ROOT, " %s %.0f %%;", e.getKey(), 100.0 * e.getValue() / total)));
    System.out.println(b);
    StringBuilder w = new StringBuilder("  most backends waiting at once, the worst seconds:");
    waitingBySecond.entrySet().stream()
        .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed())
        .limit(5)
        .forEach(
            e -> w.append(String.format(Locale.ROOT, " %d at %d s;", e.getValue(), e.getKey())));
    System.out.println(w);
  }
}
