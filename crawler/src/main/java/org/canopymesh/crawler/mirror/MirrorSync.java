package org.canopymesh.crawler.mirror;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.canopymesh.crawler.config.MirrorConfig;
import org.canopymesh.crawler.config.NamingConfig;
import org.canopymesh.crawler.lead.Elected;
import org.canopymesh.crawler.log.LogStore;
import org.canopymesh.crawler.log.LogWriter;
import org.jboss.logging.Logger;

/**
 * Syncs with every trusted peer each {@code canopy.mirror.sync-interval}, and asks each to cosign
 * this mirror's checkpoints, each time a new one is signed and at every sync. All of it runs on one
 * thread, so one peer's state is never written by two tasks at once.
 */
@ApplicationScoped
public class MirrorSync {
  private static final Logger LOG = Logger.getLogger(MirrorSync.class);

  @Inject MirrorConfig config;
  @Inject NamingConfig naming;
  @Inject Peers peers;
  @Inject PeerStore store;
  @Inject Evidences evidence;
  @Inject LogStore log;
  @Inject LogWriter writer;
  @Inject ObjectMapper json;
  @Inject Clock clock;

  private ScheduledExecutorService thread;
  private ExecutorService fetcher;
  private PeerSync sync;
  private Cosigning cosigning;
  private final AtomicBoolean cosignQueued = new AtomicBoolean();

  void onElected(@Observes @Priority(20) Elected e) {
    if (peers.all().isEmpty()) {
      LOG.info("no peer mirrors configured (canopy.mirror.peers)");
      return;
    }
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(config.peerTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    PeerClient client = new PeerClient(http, json, config.peerTimeout());
    fetcher =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "mirror-fetch");
              t.setDaemon(true);
              return t;
            });
    sync =
        new PeerSync(
            client,
            store,
            evidence,
            writer,
            naming.recordRules(),
            config.pageSize(),
            clock,
            fetcher);
    cosigning = new Cosigning(client, store, log, writer, clock);
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mirror-sync");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(
        this::syncAll, 0, config.syncInterval().toMillis(), TimeUnit.MILLISECONDS);
    writer.onCheckpoint(c -> queueCosigning());
    LOG.infof("syncing with %d peer mirror(s) every %s", peers.all().size(), config.syncInterval());
  }

  void onStop(@Observes ShutdownEvent e) {
    if (thread != null) {
      thread.shutdownNow();
      fetcher.shutdownNow();
    }
  }

  private void queueCosigning() {
    if (cosignQueued.compareAndSet(false, true)) {
      thread.execute(
          () -> {
            cosignQueued.set(false);
            peers.all().forEach(this::cosign);
          });
    }
  }

  private void syncAll() {
    for (Peer p : peers.all()) {
      if (store.isDistrusted(p.origin())) {
        continue;
      }
      try {
        long added = sync.sync(p);
        noteResult(p, null);
        if (added > 0) {
          LOG.infof("took %d record(s) from %s", added, p.origin());
        }
      } catch (RuntimeException ex) {
        LOG.warnf("sync with %s failed: %s", p, ex.getMessage());
        noteResult(p, ex.getMessage());
      }
      cosign(p);
    }
  }

  private void cosign(Peer p) {
    if (store.isDistrusted(p.origin())) {
      return;
    }
    try {
      cosigning.collect(p);
    } catch (RuntimeException ex) {
      LOG.debugf("%s did not cosign: %s", p, ex.getMessage());
    }
  }

  private void noteResult(Peer p, String error) {
    try {
      PeerState s = store.load(p.origin());
      Instant synced = error == null ? clock.instant() : s.lastSync();
      store.save(s.withResult(synced, error), p.url().toString());
    } catch (RuntimeException ex) {
      LOG.warnf("could not record the sync with %s: %s", p, ex.getMessage());
    }
  }
}
