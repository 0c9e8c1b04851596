package org.canopymesh.agent.report;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.canopymesh.agent.AgentException;
import org.canopymesh.agent.config.AgentConfig;
import org.canopymesh.agent.state.AtomicFiles;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.report.Location;
import org.canopymesh.naming.report.ReportNote;

/**
 * The agent's neighbour reports: every {@code reportInterval} it looks at the node (Yggdrasil
 * peers, batman-adv and 802.11s neighbours), signs a {@code canopy-report/v1} note with the node
 * key, and queues it on disk for every {@code reportTo} map service; a sender per service delivers
 * the queue in order ({@link Delivery}). Everything runs on its own daemon threads and every call
 * to the outside is bounded in time, so nothing here can hold up DNS or the rest of the agent.
 *
 * <p>State directory: {@code report-seq} (the last {@code seq}) and {@code reports/<service>/} (one
 * file per queued report; {@code url} names the service).
 */
public final class Reporter implements AutoCloseable {
  /** Per service: a day of reports at the default 30 s interval is 2,880; keep the newest 1,000. */
  public static final int DEFAULT_MAX_QUEUED = 1000;

  public static final long DEFAULT_MAX_QUEUED_BYTES = 4L << 20;

  public static final Duration DEFAULT_FIRST_RETRY = Duration.ofSeconds(2);
  public static final Duration DEFAULT_MAX_RETRY = Duration.ofMinutes(5);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(Reporter.class.getName());

  private final SigningKey nodeKey;
  private final Clock clock;
  private final Gatherer gatherer;
  private final Duration interval;
  private final Optional<Location> location;
  private final Optional<String> island;
  private final ReportSequence sequence;
  private final List<Delivery> deliveries;
  private final ScheduledExecutorService gathering;
  private final ScheduledExecutorService sending;
  private final ExecutorService httpThreads;

  private volatile Instant lastReportTime;
  private volatile long lastSeq;
  private volatile List<String> warnings = List.of();
  private volatile boolean closed;

  private Reporter(Builder b) {
    this.nodeKey = b.nodeKey;
    this.clock = b.clock;
    this.interval = b.config.reportInterval();
    this.location = b.config.location().map(l -> Location.ofDegrees(l.lat(), l.lon()));
    this.island = b.config.island();
    Path stateDir = b.config.stateDir();
    try {
      Files.createDirectories(stateDir.resolve("reports"));
    } catch (IOException e) {
      throw new AgentException(
          "cannot create " + stateDir.resolve("reports") + ": " + e.getMessage());
    }
    this.sequence = ReportSequence.open(stateDir);
    // Everything that can fail first, so that no thread is left running if it does.
    this.gatherer = b.gatherer != null ? b.gatherer : defaultGatherer(b.config, nodeKey);
    Backoff backoff = new Backoff(b.firstRetry, b.maxRetry, b.random);
    List<ReportQueue> queues = new ArrayList<>();
    List<URI> urls = new ArrayList<>(new LinkedHashSet<>(b.config.reportTo()));
    for (URI url : urls) {
      Path dir = stateDir.resolve("reports").resolve(directoryName(url));
      queues.add(ReportQueue.open(dir, b.maxQueued, b.maxQueuedBytes));
      writeUrl(dir, url);
    }
    this.gathering = Executors.newSingleThreadScheduledExecutor(daemon("canopy-report-gather"));
    this.sending = Executors.newSingleThreadScheduledExecutor(daemon("canopy-report-send"));
    this.httpThreads = Executors.newCachedThreadPool(daemon("canopy-report-http"));
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(b.connectTimeout)
            .executor(httpThreads)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    List<Delivery> list = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      list.add(
          new Delivery(
              urls.get(i), queues.get(i), http, b.requestTimeout, sending, backoff, clock));
    }
    this.deliveries = List.copyOf(list);
  }

  /** Starts reporting with the agent's own gatherer, the system's randomness and the defaults. */
  public static Reporter start(AgentConfig config, SigningKey nodeKey, Clock clock) {
    return builder(config, nodeKey).clock(clock).start();
  }

  public static Builder builder(AgentConfig config, SigningKey nodeKey) {
    return new Builder(config, nodeKey);
  }

  private static Gatherer defaultGatherer(AgentConfig config, SigningKey nodeKey) {
    L2Survey l2 =
        new L2Survey(
            config.batmanInterface(),
            config.meshInterfaces(),
            new ProcessCommands(),
            Path.of("/sys/class/net"));
    return new NodeGatherer(new AdminClient(config.admin()), nodeKey.verifyingKey(), l2);
  }

  private void begin() {
    if (deliveries.isEmpty()) {
      // Nobody to tell: do not run the tools and write the disk every interval for nothing.
      warnings = List.of("reportTo is empty: no neighbour reports are made");
      return;
    }
    // Deliver what an earlier run left queued, then report at once and every interval.
    deliveries.forEach(Delivery::wake);
    gathering.scheduleAtFixedRate(
        this::reportSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One report; an exception would end the schedule, so every failure becomes a warning. */
  private void reportSafely() {
    try {
      reportOnce();
    } catch (RuntimeException e) {
      setWarnings(List.of("no report made: " + e.getMessage()));
    }
  }

  /** Looks at the node, signs a report and queues it for every service. */
  synchronized void reportOnce() {
    if (closed) {
      return;
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Observation seen = gatherer.gather();
    List<String> notes = new ArrayList<>(seen.warnings());
    long seq = sequence.next(clock.instant());
    ReportNote report =
        ReportNote.fitting(
            nodeKey.verifyingKey(),
            seq,
            now,
            location,
            islandOrWarn(notes),
            seen.peers(),
            seen.neighbours(),
            seen.macs());
    int cut =
        seen.peers().size()
            - report.peers().size()
            + seen.neighbours().size()
            - report.neighbours().size()
            + seen.macs().size()
            - report.macs().size();
    if (cut > 0) {
      notes.add(cut + " lines left out to keep the report within its bounds");
    }
    byte[] note = report.sign(nodeKey).encoded();
    for (Delivery d : deliveries) {
      d.add(seq, note);
    }
    lastSeq = seq;
    lastReportTime = now;
    setWarnings(notes);
  }

  private Optional<String> islandOrWarn(List<String> notes) {
    if (island.isPresent() && !ReportNote.isValidIsland(island.get())) {
      notes.add("the island name is not reported: it must be 1 to 64 printable characters");
      return Optional.empty();
    }
    return island;
  }

  /** Logs warnings when they appear and when they clear, not at every report. */
  private void setWarnings(List<String> now) {
    Set<String> before = Set.copyOf(warnings);
    for (String w : now) {
      if (!before.contains(w)) {
        LOG.log(Level.WARNING, "neighbour reports: {0}", w);
      }
    }
    if (!before.isEmpty() && now.isEmpty()) {
      LOG.log(Level.INFO, "neighbour reports: all sources answer again");
    }
    warnings = List.copyOf(now);
  }

  /** The last report and every service's queue and counters. */
  public ReportStatus status() {
    Instant t = lastReportTime;
    return new ReportStatus(
        Optional.ofNullable(t),
        t == null ? OptionalLong.empty() : OptionalLong.of(lastSeq),
        warnings,
        deliveries.stream().map(Delivery::status).toList());
  }

  /** Stops gathering and sending; queued reports stay on disk for the next start. */
  @Override
  public void close() {
    closed = true;
    deliveries.forEach(Delivery::close);
    gathering.shutdownNow();
    sending.shutdownNow();
    httpThreads.shutdownNow();
    try {
      // A gathering in progress ends within its own time limits (5 s per tool or admin call).
      gathering.awaitTermination(15, TimeUnit.SECONDS);
      sending.awaitTermination(5, TimeUnit.SECONDS);
      httpThreads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A directory name for a service that a person can recognise and that no two URLs share: the host
   * and port, and a hash of the whole URL.
   */
  static String directoryName(URI url) {
    String host = String.valueOf(url.getHost()).replaceAll("[^A-Za-z0-9.-]", "_");
    String port = url.getPort() < 0 ? "" : "-" + url.getPort();
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(url.toString().getBytes(StandardCharsets.UTF_8));
      return host + port + "-" + HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writeUrl(Path dir, URI url) {
    try {
      AtomicFiles.write(dir.resolve("url"), (url + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AgentException("cannot write " + dir.resolve("url") + ": " + e.getMessage());
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Sets what tests and the agent may change; {@link #start()} starts the threads. */
  public static final class Builder {
    private final AgentConfig config;
    private final SigningKey nodeKey;
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = new SecureRandom();
    private Gatherer gatherer;
    private Duration firstRetry = DEFAULT_FIRST_RETRY;
    private Duration maxRetry = DEFAULT_MAX_RETRY;
    private int maxQueued = DEFAULT_MAX_QUEUED;
    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    private Builder(AgentConfig config, SigningKey nodeKey) {
      this.config = config;
      this.nodeKey = nodeKey;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** The randomness of the retry jitter. */
    public Builder random(RandomGenerator random) {
      this.random = random;
      return this;
    }

    /** What is reported instead of asking the node (tests). */
    public Builder gatherer(Gatherer gatherer) {
      this.gatherer = gatherer;
      return this;
    }

    /**
     * The first retry waits up to {@code first}; each further one twice as long, up to {@code max}.
     */
    public Builder retry(Duration first, Duration max) {
      this.firstRetry = first;
      this.maxRetry = max;
      return this;
    }

    /** The bounds of each service's queue; past either the oldest reports are dropped. */
    public Builder queueBounds(int maxReports, long maxBytes) {
      this.maxQueued = maxReports;
      this.maxQueuedBytes = maxBytes;
      return this;
    }

    public Builder timeouts(Duration connect, Duration request) {
      this.connectTimeout = connect;
      this.requestTimeout = request;
      return this;
    }

    public Reporter start() {
      Reporter r = new Reporter(this);
      r.begin();
      return r;
    }
  }
}
