package org.canopymesh.map.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.canopymesh.map.config.MapConfig;
import org.canopymesh.map.model.CrawlerView;
import org.canopymesh.map.model.Inputs;
import org.canopymesh.map.model.Island;
import org.canopymesh.map.model.Known;
import org.canopymesh.map.model.KnownLink;
import org.canopymesh.map.model.LinkId;
import org.canopymesh.map.model.MapLink;
import org.canopymesh.map.model.MapNode;
import org.canopymesh.map.model.Merge;
import org.canopymesh.map.model.NodeFacts;
import org.canopymesh.map.model.ReceivedReport;
import org.canopymesh.map.model.Rules;
import org.canopymesh.map.model.Snapshot;
import org.canopymesh.map.store.MapStore;
import org.canopymesh.map.view.Rendered;
import org.canopymesh.naming.NamingException;
import org.canopymesh.naming.report.MacAddress;
import org.canopymesh.naming.report.SignedReport;
import org.jboss.logging.Logger;

/**
 * The map as it is now. Inputs (crawler topologies, reports) arrive on any thread and mark the map
 * dirty; one thread recomputes the snapshot at most every {@value #DEBOUNCE_MS} ms, publishes what
 * changed and writes history, and another renders it. Time alone also changes states, so it
 * recomputes every {@code freshness.tick} as well.
 */
@ApplicationScoped
public class LiveMap {
  private static final Logger LOG = Logger.getLogger(LiveMap.class);

  /** Bounds the delay from a report to its event (the target is 1 s). */
  static final long DEBOUNCE_MS = 200;

  /** A node's or link's last sighting is written again once it moved this much. */
  static final Duration HISTORY_STEP = Duration.ofMinutes(1);

  /**
   * At most this many nodes and links are written per round; the rest stay "changed" and go in the
   * next rounds. Writing 10,000 nodes and 30,000 links at once stalled report ingestion.
   */
  static final int HISTORY_BATCH = 2_000;

  @Inject MapStore store;
  @Inject EventLog events;
  @Inject ObjectMapper json;
  @Inject Clock clock;
  @Inject MapConfig config;

  private final Map<String, CrawlerView> crawlers = new ConcurrentHashMap<>();
  private final Map<String, ReceivedReport> reports = new ConcurrentHashMap<>();
  private final Map<MacAddress, String> macs = new ConcurrentHashMap<>();
  private final AtomicBoolean dirty = new AtomicBoolean();
  private Map<String, Known> known = new HashMap<>();
  private Map<LinkId, KnownLink> knownLinks = new HashMap<>();
  private Merge merge;
  private ScheduledExecutorService worker;
  private ExecutorService renderer;
  private final AtomicBoolean renderPending = new AtomicBoolean();
  private volatile Snapshot current;

  /** The id of the last event {@link #current} reflects; rendered with it, atomically. */
  private volatile Published published;

  private record Published(Snapshot snapshot, long eventId) {}

  private volatile Rendered rendered;
  private long lastFull;

  /** First of the start-up steps: the poller and the API feed a started map. */
  void start(@Observes @Priority(1000) StartupEvent e) {
    MapConfig.Freshness f = config.freshness();
    merge =
        new Merge(
            new Rules(
                f.reportInterval(),
                f.offlineAfter(),
                f.lostAfter(),
                f.newFor(),
                MapStore.METRIC_HISTORY,
                f.forgetAfter()));
    stored(store.reports());
    known = store.known();
    knownLinks = store.knownLinks();
    List<Island> islands = store.islands();
    current = Snapshot.seed(clock.instant(), islands);
    worker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "live-map"));
    renderer = Executors.newSingleThreadExecutor(r -> daemon(r, "map-render"));
    // The first map is computed and rendered before start-up completes, so the API never
    // answers 503 to an early visitor; later rounds run on the worker.
    dirty.set(true);
    maybeRecompute();
    render();
    worker.scheduleWithFixedDelay(
        this::maybeRecompute, DEBOUNCE_MS, DEBOUNCE_MS, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent e) throws InterruptedException {
    if (worker != null) {
      // The worker hands rounds to the renderer: it stops first, or a last round would find the
      // renderer gone and log an error at every shutdown.
      worker.shutdownNow();
      worker.awaitTermination(10, TimeUnit.SECONDS);
      renderer.shutdownNow();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Drops metrics older than 24 h and history older than {@code forget-after}. */
  @Scheduled(every = "10m", delayed = "1m")
  void prune() {
    Instant now = clock.instant();
    store.prune(now, now.minus(config.freshness().forgetAfter()));
  }

  /** The current snapshot. */
  public Snapshot snapshot() {
    return current;
  }

  /** The current snapshot, rendered. */
  public Rendered rendered() {
    return rendered;
  }

  /** Takes a newly accepted report (the newest of its key wins). */
  public void report(ReceivedReport r) {
    reports.merge(
        r.key(),
        r,
        (old, neu) -> Long.compareUnsigned(neu.report().seq(), old.report().seq()) > 0 ? neu : old);
    r.report().macs().forEach(m -> macs.put(m, r.key()));
    dirty.set(true);
  }

  /**
   * Takes reports from the database (at start, or posted to another replica), verifying them again:
   * the database is not trusted more than the network.
   */
  public void stored(List<MapStore.StoredReport> stored) {
    for (MapStore.StoredReport r : stored) {
      try {
        report(new ReceivedReport(SignedReport.parse(r.note()).report(), r.receivedAt()));
      } catch (NamingException ex) {
        LOG.warnf("ignoring a stored report that does not verify: %s", ex.getMessage());
      }
    }
  }

  /** Takes a crawler's latest topology. */
  public void crawler(CrawlerView v) {
    crawlers.put(v.source(), v);
    dirty.set(true);
  }

  /** Records that a crawler's topology is unchanged as of {@code at}. */
  public void confirmed(String source, Instant at) {
    crawlers.computeIfPresent(
        source, (k, v) -> new CrawlerView(v.source(), at, v.nodes(), v.links(), v.names()));
    dirty.set(true);
  }

  /** The node whose mesh interface has this address, if a report said so. */
  public String macOwner(MacAddress mac) {
    return macs.get(mac);
  }

  /** Recomputes and renders now, and returns when both are done; for tests and benchmarks. */
  public void recomputeNow() {
    dirty.set(true);
    try {
      worker.submit(this::maybeRecompute).get(60, TimeUnit.SECONDS);
      renderer.submit(this::render).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("recomputing the map failed", e);
    }
  }

  private void maybeRecompute() {
    long now = clock.millis();
    boolean due = now - lastFull >= config.freshness().tick().toMillis();
    if (!dirty.getAndSet(false) && !due && rendered != null) {
      return;
    }
    lastFull = now;
    try {
      recompute();
    } catch (RuntimeException e) {
      LOG.error("recomputing the map failed; keeping the previous one", e);
    }
  }

  private void recompute() {
    Instant now = clock.instant();
    Snapshot before = current;
    Inputs in = new Inputs(List.copyOf(crawlers.values()), Map.copyOf(reports), known, knownLinks);
    Snapshot after = merge.snapshot(in, before.islands(), now, before.version() + 1);
    current = after;
    List<Change> changes = before.version() > 0 ? Diff.between(before, after) : List.of();
    published = new Published(after, events.publish(changes));
    if (renderPending.compareAndSet(false, true)) {
      renderer.execute(this::render);
    }
    remember(before, after);
  }

  /**
   * Renders the latest snapshot. On its own thread, after the events are out: gzipping 10,000 nodes
   * takes longer than computing them, and clients of the stream should not wait for it. Renders
   * queued while one runs collapse into one.
   */
  private void render() {
    renderPending.set(false);
    Published p = published;
    Rendered r = rendered;
    if (p != null && (r == null || r.version() < p.snapshot().version())) {
      rendered = Rendered.of(p.snapshot(), p.eventId(), json);
    }
  }

  /** Writes what is new in the nodes', links' and islands' history. */
  private void remember(Snapshot before, Snapshot after) {
    Map<String, Known> changedNodes = new HashMap<>();
    for (MapNode n : after.nodes()) {
      Known k = known.get(n.key());
      NodeFacts facts =
          new NodeFacts(
              n.address(),
              n.name(),
              n.location(),
              n.declaredIsland(),
              n.version(),
              n.names(),
              n.sources());
      if (k == null || !k.facts().equals(facts) || moved(k.lastSeen(), n.lastSeen())) {
        changedNodes.put(n.key(), new Known(n.firstSeen(), n.lastSeen(), facts));
        if (changedNodes.size() >= HISTORY_BATCH) {
          break;
        }
      }
    }
    List<KnownLink> changedLinks = new ArrayList<>();
    for (MapLink l : after.links()) {
      KnownLink k = knownLinks.get(l.id());
      if (l.lastSeen() != null
          && (k == null || k.kind() != l.kind() || moved(k.lastSeen(), l.lastSeen()))) {
        changedLinks.add(
            new KnownLink(
                l.id(), l.kind(), k == null ? l.lastSeen() : k.firstSeen(), l.lastSeen()));
        if (changedLinks.size() >= HISTORY_BATCH) {
          break;
        }
      }
    }
    try {
      store.saveKnown(changedNodes);
      store.saveKnownLinks(changedLinks);
      if (!islandsAlike(before.islands(), after.islands())) {
        store.saveIslands(after.islands(), after.at());
      }
      known.putAll(changedNodes);
      changedLinks.forEach(k -> knownLinks.put(k.id(), k));
    } catch (RuntimeException e) {
      LOG.warnf("writing history failed, will retry: %s", e.getMessage());
    }
  }

  private static boolean moved(Instant stored, Instant seen) {
    return Duration.between(stored, seen).compareTo(HISTORY_STEP) >= 0;
  }

  private static boolean islandsAlike(List<Island> x, List<Island> y) {
    if (x.size() != y.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      Island a = x.get(i);
      Island b = y.get(i);
      if (!a.id().equals(b.id())
          || !a.name().equals(b.name())
          || a.declared() != b.declared()
          || !a.members().equals(b.members())) {
        return false;
      }
    }
    return true;
  }
}
