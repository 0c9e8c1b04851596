package org.canopymesh.crawler.log;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.canopymesh.crawler.CrawlerException;
import org.canopymesh.crawler.config.MirrorConfig;
import org.canopymesh.crawler.config.NamingConfig;
import org.canopymesh.crawler.lead.Elected;
import org.canopymesh.naming.checkpoint.Checkpoint;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.log.TreeFrontier;
import org.canopymesh.naming.ownership.Decision;
import org.canopymesh.naming.ownership.LoggedRecord;
import org.canopymesh.naming.ownership.NameStatus;
import org.canopymesh.naming.record.InvalidRecordException;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.SignedRecord;
import org.jboss.logging.Logger;

/**
 * The log's single writer. Records from every path (submissions, crawls, peers) queue here; one
 * thread takes them in batches, decides each with the ownership rules in log order, appends the
 * batch and its tree hashes in one transaction, and only then answers the callers: an acknowledged
 * record is committed. It signs a checkpoint of the committed tree at most every {@code
 * canopy.mirror.checkpoint-interval} when the log grew.
 *
 * <p>It runs only in the crawler that holds the database's writer lock, from the moment it is
 * {@link Elected}. Then it checks that the stored tree has the root of the last signed checkpoint,
 * and replays the log's records into the ownership rules; it refuses to start on a tree that
 * disagrees with its own signature.
 */
@ApplicationScoped
public class LogWriter {
  private static final Logger LOG = Logger.getLogger(LogWriter.class);
  private static final int BATCH = 1000;
  private static final int REPLAY_PAGE = 5000;

  @Inject LogStore store;
  @Inject LogIdentity identity;
  @Inject MirrorConfig config;
  @Inject NamingConfig naming;
  @Inject Clock clock;

  private record Pending(
      SignedRecord record,
      byte[] leafHash,
      String source,
      Admission admission,
      CompletableFuture<Appended> result) {}

  private BlockingQueue<Pending> queue;
  private final List<Consumer<SignedCheckpoint>> listeners = new CopyOnWriteArrayList<>();
  private Thread thread;
  private volatile boolean running;

  /** Set when a batch failed: the in-memory state must be reloaded from the database first. */
  private volatile boolean stale;

  // Written by the writer thread only; read by others through the volatile fields.
  private volatile NameBook names;
  private TreeFrontier frontier;
  private volatile long size;
  private volatile SignedCheckpoint checkpoint;
  private long lastSigned;

  void onElected(@Observes @Priority(10) Elected e) {
    queue = new LinkedBlockingQueue<>(config.queueLimit());
    load();
    running = true;
    thread = new Thread(this::run, "log-writer");
    thread.setDaemon(true);
    thread.start();
  }

  void onStop(@Observes ShutdownEvent e) throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.interrupt();
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  /** Queues a record; the future completes once it is committed, found present, or refused. */
  public CompletableFuture<Appended> submit(SignedRecord r, String source, Admission admission) {
    CompletableFuture<Appended> f = new CompletableFuture<>();
    Pending p = new Pending(r, LogHashes.leaf(r.encoded()), source, admission, f);
    if (!running || !queue.offer(p)) {
      f.completeExceptionally(
          running
              ? new LogBusyException(config.queueLimit())
              : new CrawlerException("the log is not running"));
    }
    return f;
  }

  /** Queues records in order; completes when all of them are decided. */
  public CompletableFuture<List<Appended>> submitAll(
      List<SignedRecord> records, String source, Admission admission) {
    List<CompletableFuture<Appended>> fs = new ArrayList<>(records.size());
    for (SignedRecord r : records) {
      fs.add(submit(r, source, admission));
    }
    return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new))
        .thenApply(v -> fs.stream().map(CompletableFuture::join).toList());
  }

  /** Leaves committed. */
  public long size() {
    return size;
  }

  /** The latest signed checkpoint. */
  public SignedCheckpoint checkpoint() {
    return checkpoint;
  }

  /** Called on the writer thread after each new checkpoint; must not block. */
  public void onCheckpoint(Consumer<SignedCheckpoint> listener) {
    listeners.add(listener);
  }

  /** The name as of the latest checkpoint; read it before {@link #checkpoint()}. */
  public Optional<NameView> name(String name) {
    return names.view(name);
  }

  public NameStatus status(NameRecord owner, Instant now) {
    return names.status(owner, now);
  }

  // ---- the writer thread ----

  private void run() {
    List<Pending> batch = new ArrayList<>(BATCH);
    while (running) {
      if (stale && !reload()) {
        continue;
      }
      try {
        Pending first = queue.poll(waitMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
          process(batch);
          batch.clear();
        }
        if (size > checkpoint.size() && System.nanoTime() >= dueAt()) {
          sign();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } catch (RuntimeException e) {
        fail(batch, e);
        batch.clear();
      }
    }
    for (Pending p; (p = queue.poll()) != null; ) {
      p.result().completeExceptionally(new CrawlerException("the mirror is shutting down"));
    }
  }

  private long dueAt() {
    return lastSigned + config.checkpointInterval().toNanos();
  }

  private long waitMillis() {
    if (size == checkpoint.size()) {
      return 1000;
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(dueAt() - System.nanoTime()) + 1);
  }

  private void process(List<Pending> batch) {
    Map<LeafHash, Long> known = store.indexesOf(batch.stream().map(Pending::leafHash).toList());
    Map<LeafHash, Long> added = new HashMap<>();
    List<LogEntry> rows = new ArrayList<>();
    List<Runnable> answers = new ArrayList<>(batch.size());
    long next = frontier.size();
    for (Pending p : batch) {
      LeafHash h = new LeafHash(p.leafHash());
      Long at = known.containsKey(h) ? known.get(h) : added.get(h);
      if (at != null) {
        answers.add(() -> p.result().complete(new Appended.Present(at)));
        continue;
      }
      LoggedRecord entry = new LoggedRecord(next, p.record());
      Decision d = names.decide(entry);
      if (!admits(p.admission(), d)) {
        answers.add(() -> p.result().complete(new Appended.Refused(d)));
        continue;
      }
      names.appended(entry, d);
      rows.add(new LogEntry(p.record().encoded(), p.leafHash(), p.source()));
      added.put(h, next);
      long index = next++;
      answers.add(() -> p.result().complete(new Appended.Added(index)));
    }
    if (!rows.isEmpty()) {
      TreeFrontier grown = frontier.copy();
      store.append(rows, grown, clock.instant());
      frontier = grown;
      if (size == checkpoint.size()) {
        // The first append since the last checkpoint: the next one is due an interval later.
        lastSigned =
            Math.max(lastSigned, System.nanoTime() - config.checkpointInterval().toNanos());
      }
      size = grown.size();
    }
    answers.forEach(Runnable::run);
  }

  private static boolean admits(Admission admission, Decision d) {
    return switch (admission) {
      case OWNERSHIP -> d.outcome().accepted();
      case REPLICATION -> d.outcome() != Decision.Outcome.OUTSIDE_ZONE;
    };
  }

  /** A batch failed to commit: nobody is told it is in, and the state is reloaded from disk. */
  private void fail(List<Pending> batch, RuntimeException e) {
    LOG.errorf("appending %d records failed: %s", batch.size(), e.getMessage());
    for (Pending p : batch) {
      p.result().completeExceptionally(new CrawlerException("the log could not append"));
    }
    stale = true;
  }

  /**
   * Reloads the state after a failure (the database may be back). While it cannot, submissions are
   * refused, about once a second, rather than queued behind an outage.
   */
  private boolean reload() {
    try {
      load();
      stale = false;
      LOG.info("the log is writable again");
      return true;
    } catch (RuntimeException e) {
      LOG.warnf("the log cannot be reloaded yet: %s", e.getMessage());
      try {
        Pending p = queue.poll(1, TimeUnit.SECONDS);
        List<Pending> waiting = new ArrayList<>();
        if (p != null) {
          waiting.add(p);
          queue.drainTo(waiting);
        }
        waiting.forEach(
            w -> w.result().completeExceptionally(new CrawlerException("the log is unavailable")));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        running = false;
      }
      return false;
    }
  }

  /** Whether the writer runs and its state matches the database. */
  public boolean isHealthy() {
    return running && !stale;
  }

  private void sign() {
    Checkpoint c = new Checkpoint(identity.origin(), frontier.size(), frontier.root());
    SignedCheckpoint signed =
        new SignedCheckpoint(c, c.sign(identity.signer()).format(), clock.instant());
    store.saveCheckpoint(signed);
    lastSigned = System.nanoTime();
    // Readers take a name view, then the checkpoint: publishing in this order keeps every
    // view's index inside the checkpoint they then read.
    checkpoint = signed;
    names.publish();
    for (Consumer<SignedCheckpoint> l : listeners) {
      try {
        l.accept(signed);
      } catch (RuntimeException e) {
        LOG.warnf("a checkpoint listener failed: %s", e.getMessage());
      }
    }
  }

  // ---- start ----

  private void load() {
    long n = store.size();
    TreeFrontier f = store.frontier(n);
    Optional<SignedCheckpoint> last = store.latestCheckpoint();
    if (last.isPresent()) {
      long m = last.get().size();
      byte[] root = m == n ? f.root() : store.root(m, n);
      if (m > n || !MessageDigest.isEqual(root, last.get().checkpoint().rootHash())) {
        throw new CrawlerException(
            "the stored log disagrees with the checkpoint it signed at size "
                + m
                + " (the log holds "
                + n
                + " entries); refusing to serve or extend it");
      }
    }
    NameBook book = new NameBook(naming.ownershipRules());
    long t0 = System.nanoTime();
    replay(book, n, f);
    names = book;
    frontier = f;
    size = n;
    if (last.isPresent()) {
      checkpoint = last.get();
      lastSigned = System.nanoTime() - config.checkpointInterval().toNanos();
    }
    if (last.isEmpty() || last.get().size() < n) {
      sign();
    } else {
      names.publish();
    }
    LOG.infof(
        "naming log %s: %d entries, replayed in %d ms",
        identity.origin(), n, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Feeds every entry to the ownership rules. The entries are hashed again into a tree whose root
   * must be the stored one, which the caller has checked against the checkpoint this mirror signed:
   * so the bytes are the ones it verified when it appended them, and their signatures need not be
   * checked again (that would cost minutes for a large log).
   */
  private void replay(NameBook book, long n, TreeFrontier stored) {
    TreeFrontier rehashed = TreeFrontier.empty();
    for (long start = 0; start < n; start += REPLAY_PAGE) {
      List<byte[]> page = store.entries(start, Math.min(n, start + REPLAY_PAGE));
      List<SignedRecord> parsed =
          IntStream.range(0, page.size()).parallel().mapToObj(i -> parse(page.get(i))).toList();
      for (int i = 0; i < parsed.size(); i++) {
        rehashed.append(LogHashes.leaf(page.get(i)));
        if (parsed.get(i) != null) {
          LoggedRecord entry = new LoggedRecord(start + i, parsed.get(i));
          Decision d = book.decide(entry);
          book.appended(entry, d);
        }
      }
    }
    if (rehashed.size() != n || !MessageDigest.isEqual(rehashed.root(), stored.root())) {
      throw new CrawlerException(
          "the stored entries do not hash to the stored tree of "
              + n
              + " leaves; refusing to serve or extend the log");
    }
  }

  private static SignedRecord parse(byte[] entry) {
    try {
      return SignedRecord.parseAuthenticated(entry);
    } catch (InvalidRecordException e) {
      return null;
    }
  }
}
