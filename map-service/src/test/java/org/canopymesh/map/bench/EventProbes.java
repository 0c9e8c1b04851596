package org.canopymesh.map.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.canopymesh.map.testing.MapProcess;
import org.canopymesh.map.testing.Reports;

/**
 * Event latency: a report that takes a live link down is posted, and the time from the start of the
 * POST to the arrival of the {@code link} event with {@code state: down} on a connected {@link
 * EventStream} is taken. Each probe is a different node's first report (see {@link Mesh#probes}),
 * so the rate limit never answers and every report changes exactly one link.
 */
final class EventProbes {
  /** What a series of probes measured. */
  record Outcome(Latencies latency, Latencies post, int lost, int refused) {}

  private EventProbes() {}

  /**
   * Runs {@code count} probes from {@code probes}, one every {@code spacingMs}, while whatever else
   * runs runs.
   */
  static Outcome run(
      MapProcess svc, EventStream events, Iterator<Mesh.Probe> probes, int count, long spacingMs)
      throws IOException, InterruptedException {
    Latencies latency = new Latencies();
    Latencies post = new Latencies();
    int lost = 0;
    int refused = 0;
    try (LeanHttp http = new LeanHttp(svc.url())) {
      for (int i = 0; i < count && probes.hasNext(); i++) {
        Mesh.Probe p = probes.next();
        String a = p.reporter().node.key();
        String b = p.peer().node.key();
        byte[] body = Mesh.probeReport(p, Reports.now()).getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Long> arrived = events.expectLink(a, b, "down");
        long t0 = System.nanoTime();
        LeanHttp.Answer answer = http.post("/api/v1/reports", body);
        post.add((System.nanoTime() - t0) / 1e6);
        if (answer.status() != 202) {
          refused++;
          events.forget(a, b, "down");
          System.out.printf(
              Locale.ROOT,
              "  probe %d: the report answered %d %s%n",
              i,
              answer.status(),
              answer.text());
          continue;
        }
        try {
          latency.add((arrived.get(10, TimeUnit.SECONDS) - t0) / 1e6);
        } catch (TimeoutException | ExecutionException e) {
          lost++;
          events.forget(a, b, "down");
          // Did the service miss the change, or the stream the event?
          LeanHttp.Answer node = http.get("/api/v1/nodes/" + a);
          String text = node.text();
          int at = text.indexOf(b);
          System.out.printf(
              Locale.ROOT,
              "  probe %d: no event in 10 s for %s-%s (the stream has had %,d events, %d resets);"
                  + " the reporter's detail now: %s%n",
              i,
              a.substring(0, 8),
              b.substring(0, 8),
              events.events(),
              events.resets(),
              at < 0
                  ? node.status() + " without that peer"
                  : text.substring(Math.max(0, at - 20), Math.min(text.length(), at + 160)));
        }
        // Jittered, so that probes do not lock in step with the service's 200 ms recompute.
        Thread.sleep(spacingMs + ThreadLocalRandom.current().nextLong(200));
      }
    }
    return new Outcome(latency, post, lost, refused);
  }
}
