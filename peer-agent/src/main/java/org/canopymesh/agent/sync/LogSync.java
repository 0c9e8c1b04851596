package org.canopymesh.agent.sync;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.canopymesh.agent.AgentException;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.mirror.MirrorApi;
import org.canopymesh.agent.names.NameSource;
import org.canopymesh.naming.ownership.NameTable;
import org.canopymesh.naming.ownership.OwnershipRules;
import org.canopymesh.naming.ownership.Quorum;
import org.canopymesh.naming.ownership.Resolution;
import org.canopymesh.naming.record.RecordRules;

/**
 * The agent's verified copy of every configured mirror's log, and the names the quorum of them
 * agrees on. {@link #open} loads and verifies what is on disk, so names are served at once and
 * without network; {@link #syncAll} brings each copy up to its mirror's latest checkpoint (mirrors
 * in parallel) and then replaces the served names in one step.
 */
public final class LogSync implements AutoCloseable {
  /** How long one request to a mirror may take. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private final List<LogCopy> copies;
  private final Quorum quorum;
  private final OwnershipRules rules;
  private final MirrorApi api;
  private final Clock clock;
  private final RecordPool pool = new RecordPool();
  private final ExecutorService workers;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

  /** The names served, and what the quorum could not decide. */
  private record Snapshot(NameSource names, List<String> contested) {}

  private LogSync(AgentConfig config, MirrorApi api, Clock clock) {
    this.rules =
        new OwnershipRules(
            RecordRules.forZones(config.zones()),
            OwnershipRules.DEFAULT_GRACE,
            OwnershipRules.DEFAULT_MAX_NAMES_PER_KEY);
    this.quorum = new Quorum(Math.max(1, config.quorum()));
    this.api = api;
    this.clock = clock;
    this.copies = new ArrayList<>();
    for (AgentConfig.Mirror m : config.mirrors()) {
      copies.add(new LogCopy(m, config.mirrors(), rules, new LogFiles(dir(config.stateDir(), m))));
    }
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(4, copies.size())),
            r -> {
              Thread t = new Thread(r, "canopy-sync-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Loads the copies on disk (verifying them) and computes the names they give. */
  public static LogSync open(AgentConfig config, Clock clock) {
    return open(config, new MirrorApi(REQUEST_TIMEOUT), clock);
  }

  static LogSync open(AgentConfig config, MirrorApi api, Clock clock) {
    LogSync s = new LogSync(config, api, clock);
    RecordPool.Round round = s.pool.round();
    for (LogCopy c : s.copies) {
      c.load(round);
    }
    s.publish();
    return s;
  }

  /** A mirror's directory under {@code stateDir/logs}: its origin made file-safe, and key ID. */
  static Path dir(Path stateDir, AgentConfig.Mirror m) {
    String safe = m.origin().replaceAll("[^A-Za-z0-9.-]", "_");
    return stateDir
        .resolve("logs")
        .resolve(safe + "-" + HexFormat.of().toHexDigits(m.key().keyId()));
  }

  /** One round: every mirror synced (in parallel), then the names recomputed. */
  public void syncAll() {
    Instant now = clock.instant();
    RecordPool.Round round = pool.round();
    List<Future<?>> running = new ArrayList<>();
    for (LogCopy c : copies) {
      running.add(workers.submit(() -> c.sync(api, round, now)));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentException("interrupted while syncing");
      } catch (java.util.concurrent.ExecutionException e) {
        throw new AgentException("a sync task failed: " + e.getCause(), e.getCause());
      }
    }
    publish();
  }

  /** Recomputes the served names from the copies as they are now. */
  public void publish() {
    if (copies.isEmpty()) {
      snapshot.set(new Snapshot(NameSource.EMPTY, List.of()));
      return;
    }
    Instant now = clock.instant();
    List<NameTable> tables = new ArrayList<>();
    for (LogCopy c : copies) {
      tables.add(c.table(now));
    }
    Map<String, Resolution> resolved = quorum.resolveAll(tables);
    List<String> contested = new ArrayList<>();
    resolved.forEach(
        (name, r) -> {
          if (r instanceof Resolution.Contested) {
            contested.add(name);
          }
        });
    snapshot.set(new Snapshot(NameSource.of(resolved), List.copyOf(contested)));
  }

  /** The names served now. */
  public NameSource names() {
    return snapshot.get().names();
  }

  /** Names the mirrors disagree on, in name order; they do not resolve. */
  public List<String> contested() {
    return snapshot.get().contested();
  }

  /** Every mirror's state, in config order. */
  public List<MirrorStatus> status() {
    return copies.stream().map(LogCopy::status).toList();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
