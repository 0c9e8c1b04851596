package org.canopymesh.map.replica;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.canopymesh.map.live.LiveMap;
import org.canopymesh.map.store.MapStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Keeps this replica's map up to date with reports posted to the other replicas on the same
 * database. Every accepted report is announced with PostgreSQL's {@code NOTIFY} ({@link
 * ReplicaAnnouncer}); this listens on its own connection, reads the announced reports from the
 * table, verifies them again and applies them, so the next round's events reach this replica's SSE
 * clients too. Crawler topologies need nothing of this: every replica polls the crawlers.
 *
 * <p>Notifications sent while the connection is down are lost, so every (re)connection first
 * applies the reports received since shortly before the last one was known to work.
 */
@ApplicationScoped
public class ReplicaListener {
  private static final Logger LOG = Logger.getLogger(ReplicaListener.class);

  /** Covers clock differences between replicas when catching up after a reconnection. */
  static final Duration CATCH_UP_MARGIN = Duration.ofMinutes(1);

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final int WAIT_MS = 1000;

  @Inject MapStore store;
  @Inject ReplicaAnnouncer announcer;
  @Inject LiveMap live;
  @Inject Clock clock;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  Optional<String> user;

  @ConfigProperty(name = "quarkus.datasource.password")
  Optional<String> password;

  private volatile boolean running;
  private Thread thread;
  private Instant connectedUntil;

  /** After the live map has loaded the stored reports (priority 1000). */
  void start(@Observes @Priority(1100) StartupEvent e) {
    connectedUntil = clock.instant();
    running = true;
    thread = new Thread(this::run, "replica-listener");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent e) {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void run() {
    Duration backoff = Duration.ofSeconds(1);
    while (running) {
      try (Connection c = DriverManager.getConnection(url, credentials())) {
        try (Statement s = c.createStatement()) {
          s.execute("listen " + ReplicaAnnouncer.CHANNEL);
        }
        catchUp();
        backoff = Duration.ofSeconds(1);
        listen(c.unwrap(PGConnection.class));
      } catch (SQLException | RuntimeException ex) {
        if (!running) {
          return;
        }
        LOG.warnf(
            "listening for other replicas' reports failed (%s); again in %s",
            ex.getMessage(), backoff);
        if (!pause(backoff)) {
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  private void listen(PGConnection pg) throws SQLException {
    while (running) {
      PGNotification[] ns = pg.getNotifications(WAIT_MS);
      connectedUntil = clock.instant();
      if (ns == null || ns.length == 0) {
        continue;
      }
      Set<String> keys = new LinkedHashSet<>();
      for (PGNotification n : ns) {
        String[] parts = n.getParameter().split(" ");
        if (!parts[0].equals(announcer.replica())) {
          keys.addAll(Arrays.asList(parts).subList(1, parts.length));
        }
      }
      if (!keys.isEmpty()) {
        live.stored(store.reports(keys));
      }
    }
  }

  private void catchUp() {
    List<MapStore.StoredReport> missed = store.reportsSince(connectedUntil.minus(CATCH_UP_MARGIN));
    live.stored(missed);
    if (!missed.isEmpty()) {
      LOG.debugf("caught up on %d reports received while not listening", missed.size());
    }
  }

  private Properties credentials() {
    Properties p = new Properties();
    user.ifPresent(u -> p.setProperty("user", u));
    password.ifPresent(pw -> p.setProperty("password", pw));
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", "canopy-map replica listener");
    return p;
  }

  private boolean pause(Duration d) {
    try {
      Thread.sleep(d.toMillis()); // back-off between reconnection attempts
      return true;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
