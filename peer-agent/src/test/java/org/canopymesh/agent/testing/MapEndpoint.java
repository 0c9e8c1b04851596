package org.canopymesh.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.canopymesh.naming.report.InvalidReportException;
import org.canopymesh.naming.report.SignedReport;

/**
 * A stand-in for the map service's {@code POST /api/v1/reports}: it checks every report with the
 * naming library (format and signature) before it accepts it, and answers as a test tells it to. It
 * can stop and start again on the same port, as a service does across a restart.
 */
public final class MapEndpoint implements AutoCloseable {
  /** How the endpoint answers a well-formed report. */
  public enum Mode {
    ACCEPT(202),
    UNAVAILABLE(503),
    BAD_REQUEST(400),
    /** Holds the request without answering until the mode changes or the endpoint stops. */
    HANG(0);

    final int status;

    Mode(int status) {
      this.status = status;
    }
  }

  private final int port;
  private volatile HttpServer server;
  private volatile Mode mode = Mode.ACCEPT;
  private volatile CountDownLatch released = new CountDownLatch(1);
  private final List<SignedReport> accepted = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Map<Long, AtomicInteger> attemptsBySeq = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  private MapEndpoint(int port) {
    this.port = port;
  }

  /** Starts on a free port of 127.0.0.1. */
  public static MapEndpoint start() {
    MapEndpoint e = new MapEndpoint(0);
    e.startServer(0);
    return e;
  }

  private void startServer(int onPort) {
    try {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 16);
      s.createContext("/api/v1/reports", this::handle);
      s.setExecutor(
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "map-endpoint");
                t.setDaemon(true);
                return t;
              }));
      s.start();
      server = s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test map endpoint on port " + onPort, e);
    }
  }

  /** The base URL an agent reports to. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void mode(Mode m) {
    mode = m;
    if (m != Mode.HANG) {
      CountDownLatch old = released;
      released = new CountDownLatch(1);
      old.countDown();
    }
  }

  /** Stops listening: connections are refused until {@link #restart()}. */
  public void stop() {
    released.countDown();
    server.stop(0);
  }

  /** Listens again on the same port. */
  public void restart() {
    startServer(server.getAddress().getPort());
  }

  private void handle(HttpExchange x) throws IOException {
    requests.incrementAndGet();
    try (x) {
      if (!"POST".equals(x.getRequestMethod())
          || !"text/plain; charset=utf-8".equals(x.getRequestHeaders().getFirst("Content-Type"))) {
        problems.add(x.getRequestMethod() + " " + x.getRequestHeaders().getFirst("Content-Type"));
        x.sendResponseHeaders(415, -1);
        return;
      }
      byte[] body;
      try (InputStream in = x.getRequestBody()) {
        body = in.readNBytes(70_000);
      }
      SignedReport report;
      try {
        report = SignedReport.parse(body);
      } catch (InvalidReportException e) {
        problems.add(e.getMessage());
        x.sendResponseHeaders(400, -1);
        return;
      }
      attemptsBySeq
          .computeIfAbsent(report.report().seq(), k -> new AtomicInteger())
          .incrementAndGet();
      Mode m = mode;
      if (m == Mode.HANG) {
        released.await();
        m = mode;
      }
      if (m == Mode.ACCEPT) {
        accepted.add(report);
      }
      x.sendResponseHeaders(m == Mode.HANG ? 503 : m.status, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reports accepted, in arrival order. */
  public List<SignedReport> accepted() {
    return new ArrayList<>(accepted);
  }

  public List<Long> acceptedSeqs() {
    return accepted.stream().map(r -> r.report().seq()).toList();
  }

  /** How often the report with {@code seq} was posted, whatever the answer. */
  public int attempts(long seq) {
    AtomicInteger n = attemptsBySeq.get(seq);
    return n == null ? 0 : n.get();
  }

  public int requests() {
    return requests.get();
  }

  /** Requests that were not well-formed signed reports; a test expects none. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Polls {@code condition} every 20 ms until it holds, failing after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
  }
}
