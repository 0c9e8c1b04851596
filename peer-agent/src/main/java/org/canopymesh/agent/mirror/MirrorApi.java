package org.canopymesh.agent.mirror;

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
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.canopymesh.agent.json.JsonException;
import org.canopymesh.agent.json.JsonTree;
import org.canopymesh.naming.note.StrictBase64;
import org.canopymesh.naming.record.SignedRecord;

/**
 * The agent's side of a naming mirror's HTTP API. Every answer is untrusted: each call is bounded
 * in time ({@code timeout}, the body included) and in size, and malformed answers are a {@link
 * MirrorException}. Verification is the caller's.
 */
public final class MirrorApi {
  /** The most entries asked for at once; mirrors serve at most their page size (default 1000). */
  public static final int PAGE = 1000;

  static final int MAX_CHECKPOINT = 64 * 1024;
  // A record is at most 4 KiB; JSON escaping can at worst double it, plus quotes and commas.
  static final int MAX_ENTRY_JSON = 2 * SignedRecord.MAX_BYTES + 8;
  static final int MAX_SMALL_ANSWER = 64 * 1024;

  private final HttpClient http;
  private final Duration timeout;

  public MirrorApi(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A mirror's answer to a submitted record. */
  public record Submission(int status, String outcome, String detail) {
    /** 201 (appended) or 200 (already held). */
    public boolean accepted() {
      return status == 200 || status == 201;
    }
  }

  /** The checkpoint note the mirror serves now, with the cosignatures it gathered. */
  public byte[] checkpoint(URI mirror) {
    return ok(mirror, get(mirror, "api/v1/log/checkpoint", MAX_CHECKPOINT));
  }

  /** Entries {@code start} to at most {@code end} (exclusive); at least one, or an exception. */
  public List<byte[]> entries(URI mirror, long start, long end) {
    int n = (int) Math.min(end - start, PAGE);
    String path = "api/v1/log/entries?start=" + start + "&end=" + (start + n);
    Object tree = parse(mirror, ok(mirror, get(mirror, path, n * MAX_ENTRY_JSON + 16)), n);
    if (!(tree instanceof List<?> list) || list.isEmpty() || list.size() > n) {
      throw MirrorException.badAnswer(
          mirror, "entries " + start + ".. are not a list of 1 to " + n);
    }
    List<byte[]> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw MirrorException.badAnswer(mirror, "an entry is not a string");
      }
      out.add(s.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The consistency proof from the tree of {@code from} entries to that of {@code to}. */
  public List<byte[]> consistency(URI mirror, long from, long to) {
    String path = "api/v1/log/proof/consistency?from=" + from + "&to=" + to;
    Object tree = parse(mirror, ok(mirror, get(mirror, path, MAX_SMALL_ANSWER)), 1);
    if (!(tree instanceof Map<?, ?> m) || !(m.get("proof") instanceof List<?> proof)) {
      throw MirrorException.badAnswer(mirror, "the consistency proof is not {\"proof\": [...]}");
    }
    List<byte[]> out = new ArrayList<>();
    for (Object o : proof) {
      try {
        out.add(StrictBase64.decode((String) o));
      } catch (RuntimeException e) {
        throw MirrorException.badAnswer(mirror, "a proof hash is not base64");
      }
    }
    return out;
  }

  /** Submits a record note; any HTTP answer is returned, transport failures throw. */
  public Submission submit(URI mirror, byte[] record) {
    HttpRequest r =
        HttpRequest.newBuilder(resolve(mirror, "api/v1/records"))
            .timeout(timeout)
            .header("Content-Type", "text/plain; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofByteArray(record))
            .build();
    HttpResponse<byte[]> answer = send(mirror, r, MAX_SMALL_ANSWER);
    String outcome = "";
    String detail = "";
    try {
      if (JsonTree.parse(answer.body(), limits(1)) instanceof Map<?, ?> m) {
        outcome = text(m.get("status"), text(m.get("error"), ""));
        detail = text(m.get("reason"), text(m.get("message"), ""));
      }
    } catch (JsonException e) {
      detail = "the answer is not JSON";
    }
    return new Submission(answer.statusCode(), outcome, detail);
  }

  private static String text(Object o, String otherwise) {
    return o instanceof String s ? s : otherwise;
  }

  private HttpResponse<byte[]> get(URI mirror, String path, int limit) {
    HttpRequest r = HttpRequest.newBuilder(resolve(mirror, path)).timeout(timeout).GET().build();
    return send(mirror, r, limit);
  }

  private static URI resolve(URI mirror, String path) {
    String base = mirror.toString();
    return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
  }

  private HttpResponse<byte[]> send(URI mirror, HttpRequest r, int limit) {
    try {
      return http.sendAsync(r, info -> bounded(limit))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw MirrorException.unreachable(mirror, "no answer within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof TooLarge) {
        throw MirrorException.badAnswer(mirror, c.getMessage());
      }
      String why =
          c instanceof java.net.ConnectException
              ? "connection refused"
              : c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
      throw MirrorException.unreachable(mirror, why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw MirrorException.unreachable(mirror, "interrupted");
    }
  }

  private static byte[] ok(URI mirror, HttpResponse<byte[]> r) {
    if (r.statusCode() != 200) {
      throw MirrorException.unreachable(mirror, "answered HTTP " + r.statusCode());
    }
    return r.body();
  }

  private static Object parse(URI mirror, byte[] body, int items) {
    try {
      return JsonTree.parse(body, limits(items));
    } catch (JsonException e) {
      throw MirrorException.badAnswer(mirror, "malformed JSON: " + e.getMessage());
    }
  }

  private static JsonTree.Limits limits(int items) {
    return new JsonTree.Limits(items * MAX_ENTRY_JSON + MAX_SMALL_ANSWER, 8, MAX_ENTRY_JSON);
  }

  /** An answer over its bound: the mirror answered, but not as the API does. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(int limit) {
      super("the answer is over " + limit + " bytes");
    }
  }

  /** Collects at most {@code limit} bytes; more fails the request rather than filling memory. */
  static BodySubscriber<byte[]> bounded(int limit) {
    BodySubscriber<byte[]> inner = BodySubscribers.ofByteArray();
    return new BodySubscriber<>() {
      private long seen;
      private boolean failed;
      private Flow.Subscription subscription;

      @Override
      public java.util.concurrent.CompletionStage<byte[]> getBody() {
        return inner.getBody();
      }

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        inner.onSubscribe(s);
      }

      @Override
      public void onNext(List<ByteBuffer> items) {
        if (failed) {
          return;
        }
        for (ByteBuffer b : items) {
          seen += b.remaining();
        }
        if (seen > limit) {
          failed = true;
          subscription.cancel();
          inner.onError(new TooLarge(limit));
          return;
        }
        inner.onNext(items);
      }

      @Override
      public void onError(Throwable t) {
        if (!failed) {
          inner.onError(t);
        }
      }

      @Override
      public void onComplete() {
        if (!failed) {
          inner.onComplete();
        }
      }
    };
  }
}
