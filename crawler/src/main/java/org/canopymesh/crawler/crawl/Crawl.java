package org.canopymesh.crawler.crawl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.canopymesh.crawler.admin.AdminException;
import org.canopymesh.crawler.admin.AdminVersion;
import org.canopymesh.crawler.admin.PeerInfo;
import org.canopymesh.crawler.admin.SelfInfo;
import org.canopymesh.crawler.admin.YggdrasilAdmin;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.VerifyingKey;

/**
 * One breadth-first walk of the overlay from the local node: {@code getSelf}, {@code getPeers},
 * then for every key found {@code debug_remoteGetPeers} and {@code getNodeInfo}. Pipelined, not
 * level by level: each reply schedules the calls for the keys it names, so a slow node holds up
 * nothing but itself. All crawl state lives on one thread; replies hop to it.
 */
public final class Crawl {
  private final YggdrasilAdmin admin;
  private final CrawlSettings settings;
  private final Clock clock;
  private final NodeInfoReader reader;
  private final ExecutorService home;
  private final Limiter limiter;
  private final CompletableFuture<CrawlResult> result = new CompletableFuture<>();

  private final Map<String, NodeState> nodes = new LinkedHashMap<>();
  private final Set<Link> links = new HashSet<>();
  private final List<CrawlError> errors = new ArrayList<>();
  private Instant startedAt;
  private SelfInfo self;
  private int outstanding;
  private int calls;
  private int callsDone;
  private int errorCount;
  private boolean truncated;
  private volatile Progress progress = new Progress(0, 0, 0, 0, 0);

  /** What is known of one node while the crawl runs. */
  private static final class NodeState {
    final String key;
    Responded responded = Responded.NO;
    JsonNode nodeInfo;

    NodeState(String key) {
      this.key = key;
    }
  }

  public Crawl(YggdrasilAdmin admin, CrawlSettings settings, Clock clock) {
    this.admin = admin;
    this.settings = settings;
    this.clock = clock;
    this.reader = new NodeInfoReader(settings.records());
    // Replies that arrive after the crawl ended are dropped, not rejected with an error.
    this.home =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "crawl");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.DiscardPolicy());
    this.limiter = new Limiter(settings.concurrency(), home);
  }

  /** Starts the crawl; the future completes when it is done, partial or failed. Call once. */
  public CompletableFuture<CrawlResult> start(ScheduledExecutorService timer) {
    home.execute(
        () -> {
          startedAt = clock.instant();
          ScheduledFuture<?> deadline =
              timer.schedule(
                  () -> home.execute(() -> finish(Outcome.PARTIAL, null)),
                  settings.deadline().toMillis(),
                  TimeUnit.MILLISECONDS);
          result.whenComplete((r, e) -> deadline.cancel(false));
          call("getSelf", null, admin::self, this::onSelf, this::onLocalFailure);
        });
    return result.whenComplete((r, e) -> home.shutdown());
  }

  /** A snapshot of the counters, safe to read from any thread. */
  public Progress progress() {
    return progress;
  }

  /** Stops the crawl now; what was found so far is the (partial) result. */
  public void cancel() {
    home.execute(() -> finish(Outcome.PARTIAL, null));
  }

  private void onSelf(SelfInfo s) {
    self = s;
    NodeState local = discover(s.key());
    local.responded = Responded.LOCAL;
    call(
        "getPeers",
        null,
        admin::peers,
        this::onLocalPeers,
        e -> finish(Outcome.FAILED, "the local node did not list its peers: " + message(e)));
    fetchNodeInfo(s.key());
  }

  private void onLocalPeers(List<PeerInfo> peers) {
    for (PeerInfo p : peers) {
      link(self.key(), p.key());
    }
  }

  private void onLocalFailure(Throwable e) {
    finish(Outcome.FAILED, "the local admin endpoint did not answer: " + message(e));
  }

  /** Records a peering and, if the far end is new, asks about it. */
  private void link(String from, String to) {
    if (from.equals(to)) {
      return;
    }
    if (discover(to) != null) {
      links.add(Link.of(from, to));
    }
  }

  /** The node of {@code key}, scheduling its calls if it is new; null past the node cap. */
  private NodeState discover(String key) {
    NodeState n = nodes.get(key);
    if (n != null) {
      return n;
    }
    if (nodes.size() >= settings.maxNodes()) {
      truncated = true;
      return null;
    }
    n = new NodeState(key);
    nodes.put(key, n);
    if (self != null && !key.equals(self.key())) {
      NodeState node = n;
      call(
          "debug_remoteGetPeers",
          key,
          () -> admin.remotePeers(key),
          keys -> {
            node.responded = Responded.YES;
            keys.forEach(k -> link(key, k));
          },
          e -> {});
      fetchNodeInfo(key);
    }
    return n;
  }

  private void fetchNodeInfo(String key) {
    NodeState node = nodes.get(key);
    call(
        "getNodeInfo",
        key,
        () -> admin.nodeInfo(key),
        info -> {
          node.nodeInfo = info;
          if (node.responded == Responded.NO) {
            node.responded = Responded.YES;
          }
        },
        e -> {});
  }

  /** Runs one admin call through the limiter, counting it, and handles its outcome at home. */
  private <T> void call(
      String name,
      String key,
      Supplier<CompletableFuture<T>> request,
      Consumer<T> onSuccess,
      Consumer<Throwable> onFailure) {
    if (result.isDone()) {
      return;
    }
    outstanding++;
    calls++;
    limiter
        .submit(request)
        .whenComplete(
            (value, error) -> {
              if (result.isDone()) {
                return;
              }
              outstanding--;
              callsDone++;
              if (error == null) {
                onSuccess.accept(value);
              } else {
                recordError(name, key, error);
                onFailure.accept(error);
              }
              updateProgress();
              if (outstanding == 0 && !result.isDone()) {
                finish(truncated ? Outcome.PARTIAL : Outcome.COMPLETE, null);
              }
            });
    updateProgress();
  }

  private void recordError(String name, String key, Throwable error) {
    errorCount++;
    if (errors.size() < settings.maxErrorsKept()) {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      String kind =
          cause instanceof AdminException a ? a.kind().name().toLowerCase(Locale.ROOT) : "internal";
      errors.add(new CrawlError(name, key, kind, message(cause)));
    }
  }

  private void updateProgress() {
    progress =
        new Progress(nodes.size(), limiter.running(), limiter.waiting(), callsDone, errorCount);
  }

  private void finish(Outcome outcome, String failure) {
    if (result.isDone()) {
      return;
    }
    limiter.clear();
    Instant now = clock.instant();
    List<NodeObservation> observed = new ArrayList<>(nodes.size());
    for (NodeState n : nodes.values()) {
      observed.add(reader.read(n.key, addressOf(n.key), n.responded, n.nodeInfo, now));
    }
    result.complete(
        new CrawlResult(
            startedAt,
            now,
            outcome,
            self == null ? null : self.key(),
            self == null ? null : versionOf(self),
            observed,
            Set.copyOf(links),
            List.copyOf(errors),
            errorCount,
            calls,
            failure));
  }

  /** The build version, or the dialect when the build does not say (Debian's 0.4.7). */
  private static String versionOf(SelfInfo s) {
    if (!s.buildVersion().equals("unknown")) {
      return s.buildVersion();
    }
    return s.version() == AdminVersion.V0_4 ? "0.4" : "0.5";
  }

  private static String addressOf(String key) {
    return OverlayAddress.forKey(VerifyingKey.parseHex(key)).toString();
  }

  private static String message(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
