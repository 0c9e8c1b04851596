package org.canopymesh.agent.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.canopymesh.agent.AgentException;
import org.canopymesh.agent.json.JsonTree;

/**
 * {@code GET /status} on the local-only status port: what {@code canopy-agent status} prints. The
 * config only accepts loopback addresses for it, so nothing here is exposed to the mesh.
 */
final class StatusServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StatusServer.class.getName());
  private final HttpServer server;

  private StatusServer(HttpServer server) {
    this.server = server;
  }

  static StatusServer start(InetSocketAddress address, Supplier<Object> status) {
    HttpServer s;
    try {
      s = HttpServer.create(address, 8);
    } catch (IOException e) {
      throw new AgentException(
          "cannot listen on statusListen " + address + ": " + e.getMessage(), e);
    }
    s.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "canopy-status");
              t.setDaemon(true);
              return t;
            }));
    s.createContext("/", x -> handle(x, status));
    s.start();
    return new StatusServer(s);
  }

  private static void handle(HttpExchange x, Supplier<Object> status) throws IOException {
    try (x) {
      if (!"GET".equals(x.getRequestMethod()) || !"/status".equals(x.getRequestURI().getPath())) {
        reply(x, 404, "{\"error\":\"GET /status\"}");
        return;
      }
      reply(x, 200, JsonTree.write(status.get()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "status failed", e);
      reply(x, 500, "{\"error\":\"internal error\"}");
    }
  }

  private static void reply(HttpExchange x, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(code, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
