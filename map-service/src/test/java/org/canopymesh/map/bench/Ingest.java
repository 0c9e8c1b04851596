package org.canopymesh.map.bench;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop report ingestion: report {@code i} is due at {@code start + i / rate} whatever the
 * service does with the ones before it (agents do not wait for each other), and its latency is
 * counted from when it was due, so that a service falling behind shows as latency rather than as a
 * politely slower client. A pool of keep-alive connections sends whatever is due; a report that
 * finds every connection busy waits in the queue, and that wait counts.
 */
final class Ingest {
  /**
   * What a run measured.
   *
   * @param due latency from when each report was due to its answer
   * @param service latency from the start of each POST to its answer
   * @param byStatus answers by HTTP status (-1: the connection failed)
   * @param seconds from the first report due to the last answer
   * @param maxBacklog the most reports due and not yet sent at once
   * @param worstBySecond the highest latency from when due among the reports due in each second
   */
  record Outcome(
      Latencies due,
      Latencies service,
      Map<Integer, Integer> byStatus,
      int sent,
      double seconds,
      int maxBacklog,
      double[] worstBySecond) {
    int accepted() {
      return byStatus.getOrDefault(202, 0);
    }

    double achievedRate() {
      return accepted() / seconds;
    }

    /** The seconds of the run with the slowest answers: when, not only how slow. */
    String worstSeconds(int n) {
      StringBuilder b = new StringBuilder();
      java.util.stream.IntStream.range(0, worstBySecond.length)
          .boxed()
          .sorted((x, y) -> Double.compare(worstBySecond[y], worstBySecond[x]))
          .limit(n)
          .sorted()
          .forEach(
              i ->
                  b.append(
                      String.format(
                          Locale.ROOT,
                          "%s%d s: %.0f ms",
                          b.length() == 0 ? "" : ", ",
                          i,
                          worstBySecond[i])));
      return b.toString();
    }
  }

  private Ingest() {}

  /** Sends every body at {@code rate} a second over {@code connections} connections. */
  static Outcome run(URI base, byte[][] bodies, double rate, int connections, String label)
      throws InterruptedException {
    int n = bodies.length;
    long periodNanos = (long) (1e9 / rate);
    BlockingQueue<Integer> due = new LinkedBlockingQueue<>();
    int[] status = new int[n];
    double[] worst = new double[(int) Math.ceil(n / rate) + 1];
    Latencies fromDue = new Latencies();
    Latencies service = new Latencies();
    AtomicInteger answered = new AtomicInteger();
    AtomicLong lastAnswer = new AtomicLong();
    AtomicInteger maxBacklog = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    long start = System.nanoTime() + 50_000_000L;

    for (int w = 0; w < connections; w++) {
      Thread t =
          new Thread(
              () -> {
                LeanHttp http = null;
                while (true) {
                  int i;
                  try {
                    i = due.take();
                  } catch (InterruptedException e) {
                    return;
                  }
                  if (i < 0) {
                    break;
                  }
                  long sent = System.nanoTime();
                  try {
                    if (http == null) {
                      http = new LeanHttp(base);
                    }
                    status[i] = http.post("/api/v1/reports", bodies[i]).status();
                  } catch (IOException e) {
                    status[i] = -1;
                    if (http != null) {
                      http.close();
                    }
                    http = null;
                  }
                  long end = System.nanoTime();
                  double late = (end - (start + i * periodNanos)) / 1e6;
                  fromDue.add(late);
                  int second = (int) (i / rate);
                  synchronized (worst) {
                    worst[second] = Math.max(worst[second], late);
                  }
                  service.add((end - sent) / 1e6);
                  lastAnswer.accumulateAndGet(end, Math::max);
                  answered.incrementAndGet();
                  done.countDown();
                }
                if (http != null) {
                  http.close();
                }
              },
              "ingest-" + w);
      t.setDaemon(true);
      t.start();
    }

    Thread progress = progress(label, answered, n, start);
    for (int i = 0; i < n; i++) {
      long at = start + i * periodNanos;
      for (long wait; (wait = at - System.nanoTime()) > 0; ) {
        LockSupport.parkNanos(wait);
      }
      due.add(i);
      maxBacklog.accumulateAndGet(due.size(), Math::max);
    }
    for (int w = 0; w < connections; w++) {
      due.add(-1);
    }
    done.await();
    progress.interrupt();
    Map<Integer, Integer> byStatus = new TreeMap<>();
    for (int s : status) {
      byStatus.merge(s, 1, Integer::sum);
    }
    return new Outcome(
        fromDue, service, byStatus, n, (lastAnswer.get() - start) / 1e9, maxBacklog.get(), worst);
  }

  /** Prints the answer rate every 10 s. */
  private static Thread progress(String label, AtomicInteger answered, int n, long start) {
    Thread t =
        new Thread(
            () -> {
              int last = 0;
              try {
                while (true) {
                  Thread.sleep(10_000);
                  int now = answered.get();
                  System.out.printf(
                      Locale.ROOT,
                      "  ... %s %.0f s: %,d of %,d answered, %,.0f/s in the last 10 s; load %s%n",
                      label,
                      (System.nanoTime() - start) / 1e9,
                      now,
                      n,
                      (now - last) / 10.0,
                      Results.loadAverage());
                  last = now;
                }
              } catch (InterruptedException e) {
                // over
              }
            },
            "ingest-progress");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
