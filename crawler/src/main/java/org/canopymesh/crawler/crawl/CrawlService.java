package org.canopymesh.crawler.crawl;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.canopymesh.crawler.CrawlerException;
import org.canopymesh.crawler.admin.AdminEndpoint;
import org.canopymesh.crawler.admin.AdminLimits;
import org.canopymesh.crawler.admin.YggdrasilAdmin;
import org.canopymesh.crawler.config.CrawlerConfig;
import org.canopymesh.crawler.config.NamingConfig;
import org.canopymesh.crawler.lead.Elected;
import org.canopymesh.crawler.lead.Leadership;
import org.canopymesh.crawler.log.Admission;
import org.canopymesh.crawler.log.LogWriter;
import org.canopymesh.crawler.store.TopologyStore;
import org.canopymesh.naming.record.InvalidRecordException;
import org.canopymesh.naming.record.SignedRecord;
import org.jboss.logging.Logger;

/**
 * Runs crawls, one at a time: on the schedule (the first at start) and on demand. Each crawl is
 * stored when it ends, complete, partial or failed.
 */
@ApplicationScoped
public class CrawlService {
  private static final Logger LOG = Logger.getLogger(CrawlService.class);

  /** A crawl that is running. */
  public record Running(long id, Crawl crawl, CompletableFuture<Void> stored) {}

  /** Thrown when a crawl is asked for while one runs. */
  public static final class AlreadyRunning extends CrawlerException {
    private static final long serialVersionUID = 1L;
    private final long id;

    AlreadyRunning(long id) {
      super("crawl " + id + " is running");
      this.id = id;
    }

    public long id() {
      return id;
    }
  }

  @Inject CrawlerConfig config;
  @Inject NamingConfig naming;
  @Inject LogWriter log;
  @Inject TopologyStore store;
  @Inject Vertx vertx;
  @Inject ObjectMapper json;
  @Inject Clock clock;
  @Inject Leadership leadership;

  private final AtomicReference<Running> running = new AtomicReference<>();
  private ScheduledExecutorService timer;
  private YggdrasilAdmin admin;

  /** Crawls run only in the writer; crawls left running by a writer that died are closed. */
  void onElected(@Observes @Priority(30) Elected e) {
    int failed = store.failInterrupted(clock.instant());
    if (failed > 0) {
      LOG.warnf("marked %d crawl(s) interrupted by the last shutdown as failed", failed);
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "crawl-timer");
              t.setDaemon(true);
              return t;
            });
    AdminEndpoint endpoint = AdminEndpoint.parse(config.adminEndpoint());
    admin = new YggdrasilAdmin(vertx, endpoint, json, limits());
    if (config.scheduled()) {
      timer.scheduleWithFixedDelay(
          this::scheduled, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
    }
    LOG.infof(
        "crawling %s every %s (concurrency %d, deadline %s)",
        endpoint, config.interval(), config.concurrency(), config.deadline());
  }

  void onStop(@Observes ShutdownEvent e) {
    Running r = running.get();
    if (r != null) {
      r.crawl().cancel();
      try {
        r.stored().get(10, TimeUnit.SECONDS);
      } catch (Exception ex) {
        LOG.warnf("crawl %d was not stored before shutdown: %s", r.id(), ex.getMessage());
      }
    }
    if (timer != null) {
      timer.shutdownNow();
    }
    if (admin != null) {
      admin.close();
    }
  }

  private AdminLimits limits() {
    return new AdminLimits(
        config.callTimeout(),
        config.retries(),
        config.retryBackoff(),
        config.maxReplyBytes(),
        config.maxKeysPerReply(),
        config.maxNodeInfoBytes());
  }

  private void scheduled() {
    try {
      start();
    } catch (AlreadyRunning e) {
      LOG.debugf("scheduled crawl skipped: crawl %d still runs", e.id());
    } catch (RuntimeException e) {
      LOG.errorf("scheduled crawl could not start: %s", e.getMessage());
    }
  }

  /**
   * Starts a crawl now.
   *
   * @return the new crawl's id
   * @throws AlreadyRunning if one is running
   */
  public synchronized long start() {
    Running current = running.get();
    if (current != null) {
      throw new AlreadyRunning(current.id());
    }
    long id = store.begin(config.adminEndpoint(), leadership.instance(), clock.instant());
    CrawlSettings settings =
        new CrawlSettings(
            config.concurrency(),
            config.deadline(),
            config.maxNodes(),
            naming.recordRules(),
            TopologyStore.ERRORS_KEPT);
    Crawl crawl = new Crawl(admin, settings, clock);
    CompletableFuture<Void> stored = new CompletableFuture<>();
    running.set(new Running(id, crawl, stored));
    crawl
        .start(timer)
        .thenAccept(result -> store(id, result))
        .whenComplete(
            (v, e) -> {
              running.set(null);
              if (e != null) {
                LOG.errorf("crawl %d could not be stored: %s", id, e.getMessage());
              }
              stored.complete(null);
            });
    LOG.infof("crawl %d started", id);
    return id;
  }

  private void store(long id, CrawlResult r) {
    long t0 = System.nanoTime();
    store.finish(id, r);
    logHarvest(r);
    LOG.infof(
        "crawl %d %s: %d nodes, %d links, %d calls, %d errors in %d ms (stored in %d ms)",
        id,
        r.outcome().label(),
        r.nodes().size(),
        r.links().size(),
        r.calls(),
        r.errorCount(),
        r.finishedAt().toEpochMilli() - r.startedAt().toEpochMilli(),
        (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Offers the crawl's valid records to the naming log, which takes those its ownership rules
   * accept. Hidden nodes asked to be left out: their records are not logged.
   */
  private void logHarvest(CrawlResult r) {
    for (NodeObservation n : r.nodes()) {
      if (n.hidden()) {
        continue;
      }
      for (HarvestedRecord h : n.records()) {
        if (h.valid()) {
          try {
            log.submit(SignedRecord.parse(h.note()), "crawl", Admission.OWNERSHIP);
          } catch (InvalidRecordException e) {
            LOG.debugf("harvested record no longer parses: %s", e.getMessage());
          }
        }
      }
    }
  }

  /** The running crawl, if any. */
  public Optional<Running> running() {
    return Optional.ofNullable(running.get());
  }
}
