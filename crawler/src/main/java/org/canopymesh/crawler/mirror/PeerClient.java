package org.canopymesh.crawler.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.canopymesh.crawler.CrawlerException;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.note.StrictBase64;

/**
 * The mirror API of a peer, read as untrusted input: every answer is bounded in size and time, and
 * anything unexpected is a {@link PeerException} naming the peer and the request.
 */
final class PeerClient {
  static final int MAX_CHECKPOINT = 64 * 1024;

  /** A page of entries: at most 4 KiB a record, JSON-escaped. */
  static final int MAX_ENTRY_BYTES = 10 * 1024;

  private final HttpClient http;
  private final ObjectMapper json;
  private final Duration timeout;

  PeerClient(HttpClient http, ObjectMapper json, Duration timeout) {
    this.http = http;
    this.json = json;
    this.timeout = timeout;
  }

  /** Answers of a peer that break the protocol, or that do not arrive. */
  static final class PeerException extends CrawlerException {
    private static final long serialVersionUID = 1L;

    PeerException(String message) {
      super(message);
    }
  }

  /** A bounded answer. */
  record Answer(int status, String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  String checkpoint(Peer peer) {
    return ok(peer, get(peer, "/api/v1/log/checkpoint", MAX_CHECKPOINT)).text();
  }

  List<byte[]> entries(Peer peer, long start, long end) {
    String path = "/api/v1/log/entries?start=" + start + "&end=" + end;
    JsonNode list = parse(peer, path, get(peer, path, (int) (end - start) * MAX_ENTRY_BYTES));
    if (!list.isArray() || list.size() > end - start) {
      throw new PeerException(peer + " answered " + path + " with something else than a page");
    }
    List<byte[]> out = new ArrayList<>(list.size());
    for (JsonNode e : list) {
      if (!e.isTextual()) {
        throw new PeerException(peer + " answered " + path + " with a non-text entry");
      }
      out.add(e.asText().getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  List<byte[]> consistency(Peer peer, long from, long to) {
    String path = "/api/v1/log/proof/consistency?from=" + from + "&to=" + to;
    JsonNode proof = parse(peer, path, get(peer, path, 8 * 1024)).path("proof");
    if (!proof.isArray() || proof.size() > 64) {
      throw new PeerException(peer + " answered " + path + " without a proof");
    }
    List<byte[]> out = new ArrayList<>();
    for (JsonNode h : proof) {
      byte[] b;
      try {
        b = StrictBase64.decode(h.asText());
      } catch (RuntimeException e) {
        throw new PeerException(peer + " answered " + path + " with a hash that is not base64");
      }
      if (b.length != LogHashes.SIZE) {
        throw new PeerException(peer + " answered " + path + " with a hash of " + b.length);
      }
      out.add(b);
    }
    return out;
  }

  Answer addCheckpoint(Peer peer, String body) {
    HttpRequest r =
        HttpRequest.newBuilder(peer.url().resolve("/api/v1/witness/add-checkpoint"))
            .timeout(timeout)
            .header("Content-Type", "text/plain; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return send(peer, r, 16 * 1024);
  }

  private Answer get(Peer peer, String path, int limit) {
    URI uri = peer.url().resolve(path);
    return send(peer, HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), limit);
  }

  private Answer send(Peer peer, HttpRequest r, int limit) {
    String what = r.method() + " " + r.uri().getPath();
    try {
      HttpResponse<byte[]> resp =
          http.sendAsync(r, info -> bounded(limit)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      String type = resp.headers().firstValue("Content-Type").orElse("");
      return new Answer(resp.statusCode(), type, resp.body());
    } catch (TimeoutException e) {
      throw new PeerException(peer + " did not answer " + what + " within " + timeout);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new PeerException(peer + " failed on " + what + ": " + describe(cause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerException("interrupted while asking " + peer);
    }
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static Answer ok(Peer peer, Answer a) {
    if (a.status() != 200) {
      throw new PeerException(peer + " answered " + a.status());
    }
    return a;
  }

  private JsonNode parse(Peer peer, String path, Answer a) {
    ok(peer, a);
    try {
      return json.readTree(a.body());
    } catch (IOException e) {
      throw new PeerException(peer + " answered " + path + " with malformed JSON");
    }
  }

  /** Collects at most {@code limit} bytes; more fails the request. */
  static BodySubscriber<byte[]> bounded(int limit) {
    return new BodySubscriber<>() {
      private final BodySubscriber<byte[]> inner = BodySubscribers.ofByteArray();
      private Flow.Subscription subscription;
      private long seen;

      @Override
      public CompletionStage<byte[]> getBody() {
        return inner.getBody();
      }

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        inner.onSubscribe(s);
      }

      @Override
      public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
          seen += b.remaining();
        }
        if (seen > limit) {
          subscription.cancel();
          inner.onError(new IOException("the answer is over " + limit + " bytes"));
          return;
        }
        inner.onNext(items);
      }

      @Override
      public void onError(Throwable t) {
        inner.onError(t);
      }

      @Override
      public void onComplete() {
        inner.onComplete();
      }
    };
  }
}
