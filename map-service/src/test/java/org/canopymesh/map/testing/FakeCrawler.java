package org.canopymesh.map.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake crawler: serves whatever topology JSON the test sets at {@code GET /api/v1/topology}, with
 * an ETag that changes with the body, as the real crawler does. Fake because a real crawler needs a
 * real overlay; the end-to-end test runs the real one.
 */
public final class FakeCrawler implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger notModified = new AtomicInteger();
  private volatile byte[] body;
  private volatile int version;

  private FakeCrawler(HttpServer server) {
    this.server = server;
  }

  public static FakeCrawler start() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeCrawler c = new FakeCrawler(s);
    s.createContext("/api/v1/topology", c::handle);
    s.start();
    return c;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Serves this topology from now on (null: 404, as a crawler with no finished crawl). */
  public synchronized void serve(String json) {
    body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
    version++;
  }

  public int requests() {
    return requests.get();
  }

  public int notModified() {
    return notModified.get();
  }

  private void handle(HttpExchange x) throws IOException {
    requests.incrementAndGet();
    byte[] b;
    String tag;
    synchronized (this) {
      b = body;
      tag = "\"topology-" + version + "\"";
    }
    try (x) {
      if (b == null) {
        x.sendResponseHeaders(404, -1);
        return;
      }
      if (tag.equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
        notModified.incrementAndGet();
        x.sendResponseHeaders(304, -1);
        return;
      }
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.getResponseHeaders().set("ETag", tag);
      x.sendResponseHeaders(200, b.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
