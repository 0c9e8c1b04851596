package org.canopymesh.crawler.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.canopymesh.crawler.lead.Leadership;

/**
 * On a standby crawler, forwards every {@code /api/} request to the writer and its answer back, so
 * that all replicas behind one Service answer alike (and all are ready: a standby that refused
 * traffic would never become ready, and a rolling update would wait for it forever). Bodies are
 * streamed, not buffered; the writer applies its own limits. With no writer known, 503.
 */
@ApplicationScoped
public class StandbyForwarder {
  /** Request headers that carry meaning to the writer's API; nothing else is passed on. */
  private static final List<String> REQUEST_HEADERS =
      List.of("Content-Type", "Content-Length", "Accept", "Accept-Encoding", "If-None-Match");

  /** Answer headers passed back to the client. */
  private static final List<String> RESPONSE_HEADERS =
      List.of(
          "Content-Type", "Content-Encoding", "ETag", "Retry-After", "Cache-Control", "Location");

  private static final long TIMEOUT_MS = 30_000;

  @Inject Leadership leadership;
  @Inject Vertx vertx;

  private HttpClient client;

  void install(@Observes Router router) {
    client =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout(5_000).setIdleTimeout(60).setKeepAlive(true));
    router.route("/api/*").order(-100).handler(this::handle);
  }

  private void handle(RoutingContext rc) {
    if (leadership.isWriter()) {
      rc.next();
      return;
    }
    Optional<URI> writer = leadership.writerUrl();
    if (writer.isEmpty()) {
      unavailable(rc.response());
      return;
    }
    HttpServerRequest in = rc.request();
    in.pause();
    RequestOptions options =
        new RequestOptions()
            .setMethod(in.method())
            .setAbsoluteURI(writer.get().resolve(in.uri()).toString())
            .setTimeout(TIMEOUT_MS);
    for (String h : REQUEST_HEADERS) {
      String v = in.getHeader(h);
      if (v != null) {
        options.putHeader(h, v);
      }
    }
    String from = in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress();
    options.putHeader("X-Forwarded-For", from);
    client
        .request(options)
        .compose(out -> out.send(in))
        .onSuccess(answer -> relay(answer, rc.response()))
        .onFailure(e -> unavailable(rc.response()));
  }

  private static void relay(HttpClientResponse answer, HttpServerResponse out) {
    out.setStatusCode(answer.statusCode());
    for (String h : RESPONSE_HEADERS) {
      String v = answer.getHeader(h);
      if (v != null) {
        out.putHeader(h, v);
      }
    }
    out.putHeader("X-Canopy-Forwarded", "standby");
    answer.pipeTo(out);
  }

  private static void unavailable(HttpServerResponse out) {
    if (out.headWritten()) {
      out.reset();
      return;
    }
    out.setStatusCode(503)
        .putHeader("Content-Type", "application/json")
        .putHeader("Retry-After", "5")
        .end("{\"error\":\"this crawler is a standby and cannot reach the writer\"}");
  }
}
