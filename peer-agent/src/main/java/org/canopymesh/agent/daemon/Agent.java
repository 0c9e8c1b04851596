package org.canopymesh.agent.daemon;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.dns.DnsServer;
import org.canopymesh.agent.dns.DnsSettings;
import org.canopymesh.agent.mirror.MirrorApi;
import org.canopymesh.agent.register.Registrar;
import org.canopymesh.agent.report.Reporter;
import org.canopymesh.agent.sync.LogSync;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.SigningKey;

/**
 * The running agent: the verified copy loaded from disk first (so names are served at once), the
 * DNS server over it, then the periodic work on its own threads — sync with the mirrors and renewal
 * of the node's records, neighbour reports — none of which can block a DNS answer.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Agent.class.getName());

  private final AgentConfig config;
  private final Clock clock;
  private final Instant started;
  private final OverlayAddress address;
  private final LogSync sync;
  private final Registrar registrar;
  private final DnsServer dns;
  private final StatusServer status;
  private final ScheduledExecutorService scheduler;
  private final Reporter reporter;
  private volatile Instant lastSync;

  private Agent(AgentConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.started = clock.instant();
    SigningKey key = config.nodeKey();
    this.address = OverlayAddress.forKey(key.verifyingKey());
    this.sync = LogSync.open(config, clock);
    this.registrar = new Registrar(config, key, new MirrorApi(LogSync.REQUEST_TIMEOUT), clock);
    DnsServer d = null;
    StatusServer s = null;
    Reporter r = null;
    try {
      d =
          DnsServer.start(
              DnsSettings.of(config.dnsListen(), config.zones(), config.upstream()),
              sync::names,
              clock);
      s = StatusServer.start(config.statusListen(), this::status);
      // Reports run on the reporter's own threads: a slow map service cannot delay DNS or sync.
      r = config.reportTo().isEmpty() ? null : Reporter.start(config, key, clock);
    } catch (RuntimeException e) {
      if (s != null) {
        s.close();
      }
      if (d != null) {
        d.close();
      }
      sync.close();
      throw e;
    }
    this.dns = d;
    this.status = s;
    this.reporter = r;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "canopy-agent");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts everything; {@link org.canopymesh.agent.AgentException} if something cannot start. */
  public static Agent start(AgentConfig config, Clock clock) {
    Agent a = new Agent(config, clock);
    a.scheduleWork();
    LOG.info(
        () ->
            "node "
                + a.address
                + ": DNS on "
                + config.dnsListen()
                + ", "
                + a.sync.names().size()
                + " names from disk, "
                + config.mirrors().size()
                + " mirrors, quorum "
                + config.quorum());
    return a;
  }

  private void scheduleWork() {
    long every = config.syncInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::syncRound, 0, every, TimeUnit.MILLISECONDS);
  }

  private void syncRound() {
    try {
      if (!config.mirrors().isEmpty()) {
        sync.syncAll();
        lastSync = clock.instant();
        registrar.renewDue();
      }
    } catch (RuntimeException e) {
      // The next round tries again; the scheduler must not lose the task.
      LOG.log(Level.WARNING, "sync round failed", e);
    }
  }

  /** The status document {@code canopy-agent status} reads. */
  Map<String, Object> status() {
    Instant now = clock.instant();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", address.toString());
    m.put("started", started.toString());
    m.put("now", now.toString());
    m.put("lastSync", lastSync == null ? null : lastSync.toString());
    m.put("quorum", config.quorum());
    m.put("mirrors", StatusDocument.plain(sync.status()));
    m.put("names", sync.names().size());
    m.put("contested", sync.contested());
    m.put("registered", StatusDocument.registered(registrar.registered(), now));
    m.put("reports", reporter == null ? null : StatusDocument.plain(reporter.status()));
    m.put("dns", StatusDocument.plain(dns.counters()));
    return m;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (reporter != null) {
      reporter.close();
    }
    status.close();
    dns.close();
    sync.close();
  }
}
