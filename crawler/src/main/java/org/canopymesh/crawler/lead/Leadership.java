package org.canopymesh.crawler.lead;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.canopymesh.crawler.CrawlerException;
import org.canopymesh.crawler.config.CrawlerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Makes one crawler per database the writer: crawls, log appends, checkpoints and peer sync happen
 * in the process that holds a session-level PostgreSQL advisory lock, on a connection of its own.
 * Any other crawler on the same database stands by: it forwards its API requests to the writer
 * (whose URL the writer records in {@code crawler_writer}) and tries the lock every {@code
 * canopy.crawler.standby-retry}. When the writer dies its session ends, the lock is free, and a
 * standby takes over: it loads the log from the database and carries on from the last checkpoint,
 * so nothing is lost and, with the log's unique leaf hashes, nothing is appended twice.
 *
 * <p>A writer that loses its lock connection cannot know whether another has taken over, so it
 * exits (a supervisor restarts it as a standby) rather than write without the lock.
 */
@ApplicationScoped
public class Leadership {
  private static final Logger LOG = Logger.getLogger(Leadership.class);

  /** The lock's key: "canopy" and a version, so that nothing else's advisory locks collide. */
  static final long LOCK_KEY = 0x63616e6f70790001L;

  /** Exit status of a writer that lost its lock. */
  static final int LOST_LOCK = 3;

  @Inject CrawlerConfig config;
  @Inject Event<Elected> elected;
  @Inject Clock clock;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  Optional<String> user;

  @ConfigProperty(name = "quarkus.datasource.password")
  Optional<String> password;

  @ConfigProperty(name = "quarkus.http.port", defaultValue = "8081")
  int port;

  private final String instance = instanceName();
  private volatile boolean writer;
  private volatile Optional<URI> writerUrl = Optional.empty();
  private Connection lock;
  private ScheduledExecutorService timer;

  /** Runs before every other start-up observer, so that the writer starts within start-up. */
  void onStart(@Observes @Priority(5) StartupEvent e) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "leadership");
              t.setDaemon(true);
              return t;
            });
    if (tryAcquire()) {
      become();
    } else {
      LOG.infof(
          "another crawler writes this database; %s stands by and tries to take over every %s",
          instance, config.standbyRetry());
    }
    long every = config.standbyRetry().toMillis();
    timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Frees the lock only after the writers have stopped (their shutdown observers run at the default
   * priority), so a standby never takes over while this one still appends its last batch; and
   * before an embedded PostgreSQL stops (priority 100,000).
   */
  void onStop(@Observes @Priority(50_000) ShutdownEvent e) {
    if (timer != null) {
      timer.shutdownNow();
    }
    closeLock();
  }

  /** Whether this process is the writer. */
  public boolean isWriter() {
    return writer;
  }

  /** Where a standby forwards requests: the writer's advertised URL, as last read. */
  public Optional<URI> writerUrl() {
    return writerUrl;
  }

  /** This process, as crawl runs record it: host name and process id. */
  public String instance() {
    return instance;
  }

  private void tick() {
    try {
      if (writer) {
        checkStillHeld();
      } else if (tryAcquire()) {
        LOG.infof("the writer lock is free: %s takes over", instance);
        become();
      }
    } catch (RuntimeException ex) {
      LOG.errorf("taking over as the writer failed: %s; exiting", ex.getMessage());
      Quarkus.asyncExit(LOST_LOCK);
    }
  }

  private void become() {
    advertise();
    writer = true;
    elected.fire(new Elected(instance, clock.instant()));
  }

  private void advertise() {
    String url = config.advertiseUrl().orElse("http://127.0.0.1:" + port);
    try (PreparedStatement s =
        lock.prepareStatement(
            "insert into crawler_writer (id, instance, url, since) values (1, ?, ?, ?)"
                + " on conflict (id) do update set instance = excluded.instance,"
                + " url = excluded.url, since = excluded.since")) {
      s.setString(1, instance);
      s.setString(2, url);
      s.setTimestamp(3, Timestamp.from(clock.instant()));
      s.executeUpdate();
    } catch (SQLException ex) {
      throw new CrawlerException("recording this crawler as the writer failed: " + ex.getMessage());
    }
  }

  private void checkStillHeld() {
    boolean valid;
    try {
      valid = lock.isValid((int) Math.max(1, config.standbyRetry().toSeconds()));
    } catch (SQLException ex) {
      valid = false;
    }
    if (!valid) {
      writer = false;
      LOG.error(
          "lost the database connection that holds the writer lock; exiting, so that no two"
              + " crawlers write at once (a supervisor restarts this one as a standby)");
      Quarkus.asyncExit(LOST_LOCK);
    }
  }

  /**
   * Takes the lock if it is free, or else reads where the writer is; a standby keeps no connection
   * open between attempts.
   */
  private boolean tryAcquire() {
    Connection c = null;
    try {
      c = DriverManager.getConnection(url, credentials());
      try (PreparedStatement s = c.prepareStatement("select pg_try_advisory_lock(?)")) {
        s.setLong(1, LOCK_KEY);
        try (ResultSet r = s.executeQuery()) {
          if (r.next() && r.getBoolean(1)) {
            lock = c;
            return true;
          }
        }
      }
      writerUrl = readWriterUrl(c);
    } catch (SQLException ex) {
      LOG.warnf("cannot ask the database for the writer lock: %s", ex.getMessage());
    }
    close(c);
    return false;
  }

  private static Optional<URI> readWriterUrl(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select url from crawler_writer");
        ResultSet r = s.executeQuery()) {
      return r.next() ? Optional.of(URI.create(r.getString(1))) : Optional.empty();
    } catch (IllegalArgumentException ex) {
      return Optional.empty();
    }
  }

  private Properties credentials() {
    Properties p = new Properties();
    user.ifPresent(u -> p.setProperty("user", u));
    password.ifPresent(pw -> p.setProperty("password", pw));
    // A writer whose host vanishes without closing its socket must not hold the lock for the
    // kernel's default two hours: the server notices through keepalives.
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", "canopy-crawler writer lock");
    return p;
  }

  private void closeLock() {
    close(lock);
    lock = null;
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Closing ends the session, and the session's end frees the lock either way.
      }
    }
  }

  private static String instanceName() {
    // "pid@host", the JVM's own name for itself.
    String name = ManagementFactory.getRuntimeMXBean().getName();
    int at = name.indexOf('@');
    return at < 0 ? name : name.substring(at + 1) + ":" + name.substring(0, at);
  }
}
