package org.canopymesh.map.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.canopymesh.map.testing.FakeCrawler;
import org.canopymesh.map.testing.MapProcess;
import org.canopymesh.map.testing.Reports;
import org.canopymesh.naming.report.SignedReport;

/**
 * The map service's performance targets, measured on the packaged service ({@code -Dmap.app.jar})
 * started as its own process with its own embedded PostgreSQL, fed by a fake crawler (a synthetic
 * {@link Mesh}) and by signed agent reports:
 *
 * <ol>
 *   <li>{@code GET /api/v1/map} of 10,000 nodes and 30,000 links: p50 under 100 ms, the body under
 *       1.5 MB gzipped ({@link MapFetch});
 *   <li>the page's first render in headless Chromium under 2 s, and frame times while panning
 *       ({@link PageBench});
 *   <li>500 reports/s sustained, p99 under 50 ms, open loop ({@link Ingest});
 *   <li>a report's event on {@code /api/v1/events} within 1 s ({@link EventProbes}), idle and under
 *       that load;
 *   <li>the service's RSS and heap after the load.
 * </ol>
 *
 * Run it with {@code map-service/bench/run [options]} (see {@link Options#USAGE}). Data and the
 * service log go to {@code -Dbench.dir}; the service is stopped at the end, also on failure.
 */
public final class MapBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = 20_261_122L;

  private MapBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Path dir =
        Path.of(
            System.getProperty(
                "bench.dir",
                "map-service/target/bench-"
                    + LocalDateTime.now()
                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))));
    Files.createDirectories(dir);
    String loadAtStart = Results.loadAverage();
    System.out.printf(
        Locale.ROOT,
        "JVM %s, %d cores, load average %s; service %s; data in %s%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        loadAtStart,
        System.getProperty("map.app.jar"),
        dir.toAbsolutePath());
    System.out.println("options: " + o);

    long t0 = System.nanoTime();
    Mesh mesh = Mesh.generate(o.nodes(), o.links(), SEED);
    System.out.printf(Locale.ROOT, "mesh: %s; generated in %.1f s%n", mesh.describe(), seconds(t0));
    List<Mesh.Member> agents = mesh.agents();
    List<Mesh.Probe> probes = mesh.probes(2 * o.probes() + 30);
    Iterator<Mesh.Probe> probeFeed = probes.iterator();

    Results results = new Results();
    try (FakeCrawler crawler = FakeCrawler.start();
        MapProcess svc = new MapProcess(dir.resolve("service"))) {
      crawler.serve(mesh.topology(Instant.now()));
      svc.set("canopy.map.crawlers", crawler.url())
          .set("canopy.map.poll-interval", "60s")
          // No tile server: nothing leaves the machine, and the page draws without a base layer.
          .set("canopy.map.tile-url", "none");
      if (!o.xmx().isEmpty()) {
        svc.jvm("-Xmx" + o.xmx());
      }
      if (o.profile()) {
        svc.jvm(Profile.jvmOption());
      }
      double perKey = o.rate() / agents.size();
      if (perKey > 0.18) {
        // Fewer agents than the full-size mesh has: each would exceed the default 0.2 reports/s.
        String raised = String.format(Locale.ROOT, "%.2f", perKey * 2);
        svc.set("canopy.map.reports.rate", raised);
        results.note(
            "canopy.map.reports.rate raised to "
                + raised
                + "/s for this run: "
                + agents.size()
                + " agents at "
                + o.rate()
                + " reports/s would exceed the default 0.2/s per key");
      } else {
        System.out.printf(
            Locale.ROOT,
            "rate limit: default (0.2/s per key, burst 10); %,d agents at %.0f reports/s send"
                + " %.3f/s each%n",
            agents.size(),
            o.rate(),
            perKey);
      }

      start(svc, mesh, results);
      if (o.asyncCommit()) {
        svc.sql("alter system set synchronous_commit = off");
        svc.sql("select pg_reload_conf()");
        results.note(
            "DIAGNOSTIC RUN: PostgreSQL's synchronous_commit is off (not the service's setting)");
      }
      seed(svc, mesh, agents, results);

      MapFetch.Content content = MapFetch.content(svc);
      System.out.printf(
          Locale.ROOT,
          "map: %,d node, %,d link and %,d island features (expected %,d located nodes and %,d"
              + " links between located nodes); version %d%n",
          content.nodes(),
          content.links(),
          content.islands(),
          mesh.located(),
          mesh.drawableLinks(),
          content.version());
      if (content.nodes() != mesh.located()) {
        results.note(
            "the map shows " + content.nodes() + " nodes, not the " + mesh.located() + " located");
      }
      MachineCpu fetchCpu = MachineCpu.start();
      MapFetch.run(svc, o.requests(), results);
      phaseCpu("the map fetches", fetchCpu, results);

      try (EventStream events = EventStream.open(svc.url())) {
        Thread.sleep(500);
        System.out.printf(
            Locale.ROOT, "%n-- report -> SSE event, service idle (%d probes) --%n", o.probes());
        Instant idleFrom = Instant.now();
        MachineCpu idleCpu = MachineCpu.start();
        EventProbes.Outcome idle = EventProbes.run(svc, events, probeFeed, o.probes(), 300);
        printProbes("idle", idle, results);
        phaseCpu("the idle event probes", idleCpu, results);
        if (o.profile()) {
          Profile.print(svc, idleFrom, Instant.now(), 8);
        }

        if (o.browser()) {
          browser(svc, content.nodes(), probeFeed, o, results);
        }

        ingest(svc, mesh, agents, events, probeFeed, o, results);
      }

      memory(svc, results);
      String loadAtEnd = Results.loadAverage();
      results.print(
          System.out,
          String.format(
              Locale.ROOT,
              "%s; load average at start %s, at end %s (2 cores)%s",
              mesh.describe(),
              loadAtStart,
              loadAtEnd,
              o.targetSize() ? "" : "; NOT the targets' sizes (a smoke run)"));
    }
  }

  /** Starts the service and waits for the first map of every crawled node. */
  private static void start(MapProcess svc, Mesh mesh, Results results) {
    long t0 = System.nanoTime();
    svc.start();
    double ready = seconds(t0);
    svc.await(
        () -> stats(svc).path("nodes").path("total").asInt() == mesh.members.size(),
        Duration.ofMinutes(3),
        "the crawled nodes on the map");
    System.out.printf(
        Locale.ROOT,
        "service ready in %.1f s (embedded PostgreSQL included); the crawl's %,d nodes on the map"
            + " %.1f s after the start; settings %s%n",
        ready,
        mesh.members.size(),
        seconds(t0),
        svc.get("/api/v1/settings").body());
  }

  /** Every agent reports once, so that the service knows the local links and the islands. */
  private static void seed(MapProcess svc, Mesh mesh, List<Mesh.Member> agents, Results results)
      throws Exception {
    byte[][] first = reports(mesh, agents, agents.size());
    long t0 = System.nanoTime();
    Ingest.Outcome seeded = Ingest.run(svc.url(), first, 1000, 16, "seeding");
    System.out.printf(
        Locale.ROOT,
        "seeded: every agent's first report (%,d) in %.1f s, answers %s%n",
        agents.size(),
        seeded.seconds(),
        seeded.byStatus());
    svc.await(
        () -> {
          JsonNode s = stats(svc);
          return s.path("links").path("local").asInt() == mesh.localLinks()
              && s.path("islands").asInt() == mesh.islands.size();
        },
        Duration.ofMinutes(3),
        "the reported local links and islands");
    JsonNode s = stats(svc);
    System.out.printf(
        Locale.ROOT,
        "the map holds every local link and island %.1f s later: %s%n",
        seconds(t0),
        s);
  }

  /** The probe's events and the page, before the load. */
  private static void browser(
      MapProcess svc, int located, Iterator<Mesh.Probe> probes, Options o, Results results)
      throws Exception {
    if (!Browser.available()) {
      results.note("no " + Browser.CHROMIUM + " or " + Browser.CHROMEDRIVER + ": browser skipped");
      return;
    }
    MachineCpu cpu = MachineCpu.start();
    try (Browser b = Browser.start()) {
      PageBench.firstRender(b, svc, located, o.loads(), results);
      PageBench.pan(b, o.panMillis(), results);
      PageBench.events(b, probes, Math.min(20, o.probes()), results);
      // Before Chromium quits: its processes' CPU time goes with them.
      phaseCpu("the browser part", cpu, results);
    }
  }

  /** The untimed warm-up, then the measured run, with probes and map fetches alongside. */
  private static void ingest(
      MapProcess svc,
      Mesh mesh,
      List<Mesh.Member> agents,
      EventStream events,
      Iterator<Mesh.Probe> probes,
      Options o,
      Results results)
      throws Exception {
    int warm = (int) (o.rate() * o.warmup());
    int timed = (int) (o.rate() * o.seconds());
    long t0 = System.nanoTime();
    byte[][] all = reports(mesh, agents, warm + timed);
    System.out.printf(
        Locale.ROOT,
        "%n-- report ingestion: %,.0f reports/s, open loop, %d connections; %d s untimed, then %d s"
            + " --%nsigned %,d reports of %,d agents in %.1f s (%,d bytes on average); load %s%n",
        o.rate(),
        o.connections(),
        o.warmup(),
        o.seconds(),
        all.length,
        agents.size(),
        seconds(t0),
        IntStream.range(0, all.length).mapToLong(i -> all[i].length).sum()
            / Math.max(1, all.length),
        Results.loadAverage());
    double verify = verifyMicros(all);
    System.out.printf(
        Locale.ROOT,
        "parsing and verifying one report (SignedReport.parse, as the service does first) takes"
            + " %.0f µs on one core of this client's JVM: %.0f %% of a core at %.0f reports/s%n",
        verify,
        verify * o.rate() / 1e4,
        o.rate());
    if (warm > 0) {
      Ingest.Outcome w =
          Ingest.run(svc.url(), slice(all, 0, warm), o.rate(), o.connections(), "warm-up");
      System.out.printf(
          Locale.ROOT,
          "warm-up: %,.0f accepted/s, from due: %s; answers %s%n",
          w.achievedRate(),
          w.due().summary(),
          w.byStatus());
    }

    long version0 = MapFetch.content(svc).version();
    double jvm0 = svc.jvmCpuSeconds();
    Map<Long, Double> pg0 = svc.postgresCpuSeconds();
    Instant profileFrom = Instant.now();
    MachineCpu ingestCpu = MachineCpu.start();
    long events0 = events.events();
    long resets0 = events.resets();
    PgWaits pgWaits = PgWaits.start(svc.dir());
    Latencies mapUnderLoad = new Latencies();
    EventProbes.Outcome[] loaded = new EventProbes.Outcome[1];
    Thread prober =
        background(
            "probes",
            () -> {
              Thread.sleep(2000);
              int count = (int) Math.min(o.probes(), Math.max(1, (o.seconds() - 4) / 1.0));
              long spacing = Math.max(100, (o.seconds() - 4) * 1000L / count - 250);
              loaded[0] = EventProbes.run(svc, events, probes, count, spacing);
            });
    long until = System.nanoTime() + o.seconds() * 1_000_000_000L;
    Thread fetcher =
        background(
            "map-under-load",
            () -> {
              try (LeanHttp http = new LeanHttp(svc.url())) {
                while (System.nanoTime() < until) {
                  long s = System.nanoTime();
                  http.get("/api/v1/map", "Accept-Encoding", "gzip");
                  mapUnderLoad.add((System.nanoTime() - s) / 1e6);
                  Thread.sleep(500);
                }
              }
            });
    Ingest.Outcome r =
        Ingest.run(svc.url(), slice(all, warm, warm + timed), o.rate(), o.connections(), "timed");
    String loadAfter = Results.loadAverage();
    Instant profileTo = Instant.now();
    String ingestMachine = ingestCpu.since();
    pgWaits.close();
    long streamed = events.events() - events0;
    long resets = events.resets() - resets0;
    prober.join();
    fetcher.join();
    double jvm = svc.jvmCpuSeconds() - jvm0;
    double pg = 0;
    for (Map.Entry<Long, Double> e : svc.postgresCpuSeconds().entrySet()) {
      pg += e.getValue() - pg0.getOrDefault(e.getKey(), 0.0);
    }
    long versions = MapFetch.content(svc).version() - version0;

    System.out.printf(
        Locale.ROOT,
        "ingestion: %,d reports offered at %.0f/s over %d s; %,d accepted = %,.1f/s (until the"
            + " last answer, %.1f s); answers by status %s; the backlog of due reports peaked at"
            + " %,d%n",
        r.sent(),
        o.rate(),
        o.seconds(),
        r.accepted(),
        r.achievedRate(),
        r.seconds(),
        r.byStatus(),
        r.maxBacklog());
    System.out.printf(
        Locale.ROOT,
        "  latency from when due: %s, mean %s; from the POST's start: %s%n",
        r.due().summary(),
        Latencies.ms(r.due().mean()),
        r.service().summary());
    System.out.println("  the slowest seconds of the run (since its start): " + r.worstSeconds(8));
    System.out.printf(
        Locale.ROOT,
        "  CPU meanwhile: service JVM %.1f s, its PostgreSQL %.1f s, of %.1f core-seconds; load"
            + " average at the end %s; %,d map versions (%.1f recomputes/s: a recompute every %.0f"
            + " ms, 200 ms of them the debounce)%n",
        jvm,
        pg,
        r.seconds() * Runtime.getRuntime().availableProcessors(),
        loadAfter,
        versions,
        versions / r.seconds(),
        r.seconds() * 1000 / Math.max(1, versions));
    System.out.printf(
        Locale.ROOT, "  GET /api/v1/map meanwhile (every 0.5 s): %s%n", mapUnderLoad.summary());
    System.out.printf(
        Locale.ROOT,
        "  the event stream carried %,d events meanwhile (%,.0f/s), %d of them resets%n",
        streamed,
        streamed / r.seconds(),
        resets);
    results.info(
        "events on the stream during the ingestion",
        String.format(Locale.ROOT, "%,.0f/s, %d resets", streamed / r.seconds(), resets));
    System.out.println("  " + ingestMachine);
    results.info("CPU during the timed ingestion", ingestMachine);
    if (o.profile()) {
      Profile.print(svc, profileFrom, profileTo, 12);
      Profile.stop(svc);
    }
    pgWaits.print();
    int errors = r.sent() - r.accepted();
    results.add(
        "ingestion rate (" + o.rate() + "/s offered, " + o.seconds() + " s)",
        ">= 500/s sustained",
        String.format(
            Locale.ROOT,
            "%,.1f/s accepted; errors %s (load %s)",
            r.achievedRate(),
            errors == 0 ? "none" : r.byStatus().toString(),
            loadAfter),
        r.achievedRate() >= 0.99 * 500 && errors == 0);
    results.add(
        "ingestion latency p50 / p99 / max (from when due)",
        "p99 < 50 ms",
        Latencies.ms(r.due().p50())
            + " / "
            + Latencies.ms(r.due().p99())
            + " / "
            + Latencies.ms(r.due().max()),
        r.due().p99() < 50);
    results.info(
        "GET /api/v1/map p50 / p99 under ingestion",
        Latencies.ms(mapUnderLoad.p50()) + " / " + Latencies.ms(mapUnderLoad.p99()));
    if (loaded[0] != null) {
      printProbes("under ingestion", loaded[0], results);
    }
  }

  private static void phaseCpu(String phase, MachineCpu cpu, Results results) {
    String c = cpu.since();
    System.out.println("  " + c);
    results.info("CPU during " + phase, c);
  }

  private static void printProbes(String when, EventProbes.Outcome p, Results results) {
    System.out.printf(
        Locale.ROOT,
        "  %s: POST start -> link event: %s; the POST itself: %s; %d lost, %d refused%n",
        when,
        p.latency().summary(),
        p.post().summary(),
        p.lost(),
        p.refused());
    results.add(
        "report -> SSE event (" + when + ") p50 / p99 / max",
        "< 1 s",
        Latencies.ms(p.latency().p50())
            + " / "
            + Latencies.ms(p.latency().p99())
            + " / "
            + Latencies.ms(p.latency().max())
            + " (n "
            + p.latency().count()
            + (p.lost() + p.refused() > 0 ? ", " + (p.lost() + p.refused()) + " lost" : "")
            + ")",
        p.latency().count() > 0 && p.latency().max() < 1000 && p.lost() + p.refused() == 0);
  }

  /** The service's memory after the load: as it stands, then after a full GC. */
  private static void memory(MapProcess svc, Results results) {
    long rss = svc.rss();
    double used = svc.metric("jvm_memory_used_bytes", "area=\"heap\"");
    double committed = svc.metric("jvm_memory_committed_bytes", "area=\"heap\"");
    double max = svc.metric("jvm_memory_max_bytes", "area=\"heap\"");
    svc.jcmd("GC.run");
    double live = svc.metric("jvm_memory_used_bytes", "area=\"heap\"");
    long rssAfterGc = svc.rss();
    long pg = svc.postgresPss();
    System.out.printf(
        Locale.ROOT,
        "%n-- memory after the load --%nservice JVM RSS %s; heap used %s of %s committed (max %s);"
            + " after a full GC: heap %s, RSS %s; its PostgreSQL (PSS, all processes) %s%n",
        mib(rss),
        mib(used),
        mib(committed),
        mib(max),
        mib(live),
        mib(rssAfterGc),
        mib(pg));
    results.info(
        "service RSS; heap used / committed; live heap after full GC",
        mib(rss) + "; " + mib(used) + " / " + mib(committed) + "; " + mib(live));
    results.info("its embedded PostgreSQL (PSS)", mib(pg));
  }

  // ---- helpers ----

  /** {@code count} reports, agent after agent round-robin, each agent's in seq order. */
  private static byte[][] reports(Mesh mesh, List<Mesh.Member> agents, int count) {
    byte[][] out = new byte[count][];
    Instant time = Reports.now();
    int a = agents.size();
    IntStream.range(0, a)
        .parallel()
        .forEach(
            k -> {
              SplittableRandom rnd = new SplittableRandom(SEED + k);
              for (int i = k; i < count; i += a) {
                out[i] = mesh.report(agents.get(k), time, rnd).getBytes(StandardCharsets.UTF_8);
              }
            });
    return out;
  }

  /**
   * What the first step of admitting a report costs, measured here rather than in the service: the
   * floor of the service's CPU per report.
   */
  private static double verifyMicros(byte[][] bodies) {
    int n = Math.min(bodies.length, 2000);
    for (int i = 0; i < n; i++) {
      SignedReport.parse(bodies[i]);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      SignedReport.parse(bodies[i]);
    }
    return (System.nanoTime() - t0) / 1e3 / n;
  }

  private static byte[][] slice(byte[][] all, int from, int to) {
    byte[][] out = new byte[to - from][];
    System.arraycopy(all, from, out, 0, to - from);
    return out;
  }

  private static JsonNode stats(MapProcess svc) {
    try {
      var r = svc.get("/api/v1/stats");
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
    } catch (Exception e) {
      return JSON.createObjectNode();
    }
  }

  @FunctionalInterface
  private interface Task {
    void run() throws Exception;
  }

  private static Thread background(String name, Task task) {
    Thread t =
        new Thread(
            () -> {
              try {
                task.run();
              } catch (Exception e) {
                System.out.println("  " + name + " failed: " + e);
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String mib(double bytes) {
    return bytes < 0 || Double.isNaN(bytes)
        ? "n/a"
        : String.format(Locale.ROOT, "%,.0f MiB", bytes / 1048576.0);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
