package org.canopymesh.agent.report;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.canopymesh.agent.AgentException;

/**
 * Delivers one destination's queue, oldest report first, one request at a time, so reports arrive
 * in {@code seq} order. 2xx means delivered; 400, 403 and 413 mean the service will never take the
 * report, which is dropped and counted (and logged once per status); anything else (429, 5xx, a 404
 * while a service is being set up, no connection, a timeout) is retried with {@link Backoff}, or
 * after the service's {@code Retry-After} if that is longer, while later reports wait behind.
 *
 * <p>All state changes run on the one sending thread; {@link #status()} reads from any thread.
 * Delivery is at least once: a report whose answer is lost (a crash, a timeout after the service
 * stored it) is sent again, and the receiver drops it by its {@code seq}.
 */
final class Delivery {
  static final String PATH = "/api/v1/reports";
  private static final System.Logger LOG = System.getLogger(Delivery.class.getName());

  private final URI url;
  private final URI endpoint;
  private final ReportQueue queue;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final ScheduledExecutorService executor;
  private final Backoff backoff;
  private final Clock clock;

  private boolean inFlight;
  private boolean waiting;
  private int failures;
  private volatile boolean closed;
  private volatile Instant lastDelivery;
  private volatile String lastError;
  private volatile Instant nextRetry;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Set<Integer> refusalsLogged = ConcurrentHashMap.newKeySet();

  Delivery(
      URI url,
      ReportQueue queue,
      HttpClient http,
      Duration requestTimeout,
      ScheduledExecutorService executor,
      Backoff backoff,
      Clock clock) {
    this.url = url;
    this.endpoint = endpoint(url);
    this.queue = queue;
    this.http = http;
    this.requestTimeout = requestTimeout;
    this.executor = executor;
    this.backoff = backoff;
    this.clock = clock;
  }

  static URI endpoint(URI url) {
    String base = url.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + PATH);
  }

  /** Queues a report and starts sending if nothing is under way. Runs on the caller's thread. */
  void add(long seq, byte[] note) {
    int n = queue.add(seq, note);
    if (n > 0) {
      dropped.addAndGet(n);
      LOG.log(
          Level.WARNING,
          "the report queue for {0} is full; dropped the {1} oldest report(s)",
          url,
          n);
    }
    wake();
  }

  /** Sends what is queued, unless a request is under way or a retry is waiting. */
  void wake() {
    if (!closed) {
      executor.execute(this::pump);
    }
  }

  private void pump() {
    while (!closed && !inFlight && !waiting) {
      Optional<ReportQueue.Entry> next = queue.oldest();
      if (next.isEmpty()) {
        return;
      }
      Optional<byte[]> bytes;
      try {
        bytes = queue.read(next.get());
      } catch (AgentException e) {
        error(e.getMessage());
        queue.remove(next.get()); // a file the disk cannot give back is lost anyway
        continue;
      }
      if (bytes.isEmpty()) {
        continue; // dropped by the bound meanwhile
      }
      send(next.get(), bytes.get());
    }
  }

  private void send(ReportQueue.Entry entry, byte[] note) {
    inFlight = true;
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "text/plain; charset=utf-8")
            .header("User-Agent", "canopy-agent")
            .POST(HttpRequest.BodyPublishers.ofByteArray(note))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        // The request timeout ends at the response headers; this also bounds a trickled body.
        .orTimeout(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
        .whenCompleteAsync((response, error) -> answered(entry, response, error), executor);
  }

  private void answered(ReportQueue.Entry entry, HttpResponse<Void> response, Throwable error) {
    inFlight = false;
    if (closed) {
      return;
    }
    try {
      if (error != null) {
        retry(entry, describe(error), OptionalLong.empty());
      } else if (response.statusCode() / 100 == 2) {
        queue.remove(entry);
        delivered.incrementAndGet();
        lastDelivery = clock.instant();
        failures = 0;
      } else if (isRefusal(response.statusCode())) {
        refuse(entry, response.statusCode());
      } else {
        retry(entry, "HTTP " + response.statusCode(), retryAfter(response));
      }
    } catch (AgentException e) {
      // The disk failed us (a delivered report that cannot be deleted): back off, do not spin.
      if (!waiting) {
        retry(entry, e.getMessage(), OptionalLong.empty());
      }
    }
    pump();
  }

  private void refuse(ReportQueue.Entry entry, int status) {
    queue.remove(entry);
    refused.incrementAndGet();
    String why = "refused report " + Long.toUnsignedString(entry.seq()) + " with HTTP " + status;
    error(why);
    if (refusalsLogged.add(status)) {
      LOG.log(
          Level.WARNING,
          "{0} {1}; such reports are dropped, not retried (logged once per status)",
          url,
          why);
    }
  }

  /** Statuses that say the report itself is wrong: sending it again cannot help. */
  static boolean isRefusal(int status) {
    return status == 400 || status == 403 || status == 413;
  }

  private void retry(ReportQueue.Entry entry, String why, OptionalLong retryAfterSeconds) {
    failures++;
    Duration delay = backoff.delay(failures);
    if (retryAfterSeconds.isPresent()) {
      Duration asked =
          Duration.ofSeconds(Math.min(retryAfterSeconds.getAsLong(), backoff.max().toSeconds()));
      delay = asked.compareTo(delay) > 0 ? asked : delay;
    }
    error("report " + Long.toUnsignedString(entry.seq()) + " not delivered: " + why);
    if (failures == 1) {
      LOG.log(Level.INFO, "{0}: {1}; retrying with backoff", url, why);
    }
    waiting = true;
    nextRetry = clock.instant().plus(delay);
    executor.schedule(
        () -> {
          waiting = false;
          nextRetry = null;
          pump();
        },
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static OptionalLong retryAfter(HttpResponse<?> response) {
    Optional<String> v = response.headers().firstValue("Retry-After");
    if (v.isPresent() && v.get().matches("\\d{1,9}")) {
      return OptionalLong.of(Long.parseLong(v.get()));
    }
    return OptionalLong.empty(); // HTTP dates are ignored: the backoff applies
  }

  private void error(String message) {
    lastError = clock.instant() + " " + message;
  }

  private static String describe(Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof TimeoutException || e instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  ReportStatus.Destination status() {
    return new ReportStatus.Destination(
        url,
        queue.size(),
        Optional.ofNullable(lastDelivery),
        Optional.ofNullable(lastError),
        Optional.ofNullable(nextRetry),
        delivered.get(),
        refused.get(),
        dropped.get());
  }

  void close() {
    closed = true;
  }

  URI url() {
    return url;
  }
}
