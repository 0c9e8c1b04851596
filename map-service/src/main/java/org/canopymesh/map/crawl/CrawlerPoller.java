package org.canopymesh.map.crawl;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.canopymesh.map.config.MapConfig;
import org.canopymesh.map.live.LiveMap;
import org.canopymesh.map.store.MapStore;
import org.jboss.logging.Logger;

/**
 * Polls every configured crawler's topology each {@code poll-interval}, with the last ETag so an
 * unchanged topology costs a 304. Answers are bounded in size and time; a failing crawler keeps its
 * last topology (its nodes age out by the freshness rules) and is logged once per state change.
 */
@ApplicationScoped
public class CrawlerPoller {
  private static final Logger LOG = Logger.getLogger(CrawlerPoller.class);

  @Inject MapConfig config;
  @Inject MapStore store;
  @Inject LiveMap live;
  @Inject ObjectMapper json;
  @Inject Clock clock;

  private final Map<String, String> etags = new ConcurrentHashMap<>();
  private final Map<String, String> failing = new ConcurrentHashMap<>();
  private HttpClient http;
  private TopologyReader reader;
  private volatile boolean started;

  /** After the live map (priority), so that stored topologies land in a started map. */
  void start(@Observes @Priority(2000) StartupEvent e) {
    reader = new TopologyReader(json, config.poll().maxNodes(), config.poll().maxLinks());
    http =
        HttpClient.newBuilder()
            .connectTimeout(config.poll().timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    List<String> urls = urls();
    for (MapStore.StoredTopology t : store.topologies()) {
      if (urls.contains(t.url())) {
        restore(t);
      }
    }
    started = true;
  }

  /** The schedule; skipped until the stored topologies are restored, and while a poll runs. */
  @Scheduled(
      identity = "crawler-poll",
      every = "${canopy.map.poll-interval:60s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (started) {
      pollAll();
    }
  }

  private void restore(MapStore.StoredTopology t) {
    try {
      live.crawler(reader.read(source(t.url()), t.body(), t.fetchedAt()));
      if (t.etag() != null) {
        etags.put(t.url(), t.etag());
      }
    } catch (TopologyException ex) {
      LOG.warnf("ignoring the stored topology of %s: %s", t.url(), ex.getMessage());
    }
  }

  private List<String> urls() {
    return config.crawlers().orElse(List.of()).stream()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
        .toList();
  }

  static String source(String url) {
    return "crawler:" + url;
  }

  /** Polls every crawler once; for the schedule and for tests (one poll at a time). */
  public synchronized void pollAll() {
    for (String url : urls()) {
      try {
        poll(url);
        if (failing.remove(url) != null) {
          LOG.infof("crawler %s answers again", url);
        }
      } catch (TopologyException | IOException ex) {
        if (failing.put(url, ex.getMessage()) == null) {
          LOG.warnf(
              "polling crawler %s failed (keeping its last topology): %s", url, ex.getMessage());
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException ex) {
        LOG.errorf(ex, "polling crawler %s failed", url);
      }
    }
  }

  private void poll(String url) throws IOException, InterruptedException {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(url + "/api/v1/topology"))
            .timeout(config.poll().timeout())
            .header("Accept", "application/json")
            .header("Accept-Encoding", "gzip");
    String etag = etags.get(url);
    if (etag != null) {
      req.header("If-None-Match", etag);
    }
    HttpResponse<InputStream> res =
        http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    Instant now = clock.instant();
    try (InputStream in = res.body()) {
      if (res.statusCode() == 304) {
        store.touchTopology(url, now);
        live.confirmed(source(url), now);
        return;
      }
      if (res.statusCode() == 404) {
        throw new TopologyException(url, "no crawl has finished yet");
      }
      if (res.statusCode() != 200) {
        throw new TopologyException(url, "answered HTTP " + res.statusCode());
      }
      boolean gzip =
          res.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip");
      byte[] body = readBounded(gzip ? new GZIPInputStream(in) : in, url);
      var view = reader.read(source(url), body, now);
      String newTag = res.headers().firstValue("ETag").orElse(null);
      store.saveTopology(new MapStore.StoredTopology(url, newTag, now, body));
      if (newTag != null) {
        etags.put(url, newTag);
      } else {
        etags.remove(url);
      }
      live.crawler(view);
    }
  }

  private byte[] readBounded(InputStream in, String url) throws IOException {
    long max = config.poll().maxBytes().asLongValue();
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    byte[] buf = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      total += n;
      if (total > max) {
        throw new TopologyException(url, "the topology is larger than " + max + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
