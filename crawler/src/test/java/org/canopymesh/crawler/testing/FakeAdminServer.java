package org.canopymesh.crawler.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.canopymesh.naming.address.OverlayAddress;
import org.canopymesh.naming.key.VerifyingKey;

/**
 * A <b>fake</b> Yggdrasil admin endpoint, for tests and benchmarks only. It is not Yggdrasil and
 * knows nothing of routing: it stands for what cannot be real here, an overlay of 10,000 nodes (see
 * {@link SimulatedOverlay}) and nodes that misbehave on purpose. It speaks the admin protocol as
 * the crawler does: one connection, one JSON request, one JSON reply, then the server closes.
 *
 * <p>How each request is answered is up to a {@link Behaviour}: a function from the request name
 * and its {@code arguments.key} to a {@link Reply} plan: a normal reply after a delay, an error
 * reply, no reply at all, a reply one byte at a time, a huge reply streamed without being held in
 * memory, bytes that are not JSON, or a peers reply listing any number of keys.
 *
 * <p>Non-blocking: a Vert.x {@link NetServer} on 127.0.0.1 with an ephemeral port; delays are
 * timers, never sleeping threads. It counts requests (in total, per request and key, and the most
 * in flight at once) so tests can assert what a client did. A request is in flight from when it has
 * been read until the server has handed the last byte of its reply to the socket, or the client has
 * closed the connection.
 */
public final class FakeAdminServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static final int CHUNK = 64 * 1024;

  /** Decides how one request is answered. Called on a Vert.x event loop; must not block. */
  @FunctionalInterface
  public interface Behaviour {
    /**
     * @param request the request name, e.g. {@code getSelf}
     * @param key {@code arguments.key} of the request, or null when it has none
     */
    Reply reply(String request, String key);
  }

  /** How the server answers one request. */
  public sealed interface Reply {
    /**
     * {@code {"status":"success","request":{..},"response":response}}, sent after {@code delay}.
     */
    record Success(JsonNode response, Duration delay) implements Reply {}

    /** {@code {"status":"error","error":message,"request":{..}}}, sent after {@code delay}. */
    record Failure(String message, Duration delay) implements Reply {}

    /** These bytes exactly, whatever they are, after {@code delay}. */
    record Raw(byte[] bytes, Duration delay) implements Reply {}

    /** Reads the request and never answers; the connection stays open until the client closes. */
    record Silent() implements Reply {}

    /** A success reply with {@code response}, written one byte at a time, {@code gap} apart. */
    record ByteByByte(JsonNode response, Duration gap) implements Reply {}

    /**
     * A success reply padded to {@code bytes} bytes with one long string, streamed in chunks as the
     * client reads it (never held in memory whole); it stops when the client closes.
     */
    record Huge(long bytes, Duration delay) implements Reply {}

    /**
     * A remote peers reply for the key asked about, {@code {"<address>":{"keys":[...]}}}, listing
     * {@code count} valid, distinct, made-up keys, generated while streaming.
     */
    record ManyKeys(int count, Duration delay) implements Reply {}

    static Reply success(JsonNode response) {
      return new Success(response, Duration.ZERO);
    }

    static Reply success(JsonNode response, Duration delay) {
      return new Success(response, delay);
    }

    static Reply failure(String message, Duration delay) {
      return new Failure(message, delay);
    }

    static Reply raw(String text) {
      return new Raw(text.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
    }

    static Reply never() {
      return new Silent();
    }

    static Reply byteByByte(JsonNode response, Duration gap) {
      return new ByteByByte(response, gap);
    }

    static Reply huge(long bytes) {
      return new Huge(bytes, Duration.ZERO);
    }

    static Reply manyKeys(int count) {
      return new ManyKeys(count, Duration.ZERO);
    }
  }

  private final Vertx vertx;
  private final Behaviour behaviour;
  private final NetServer server;
  private final AtomicLong served = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong waitNanos = new AtomicLong();
  private final AtomicLong answerNanos = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final Map<String, Stats> stats = new ConcurrentHashMap<>();

  /** What was asked and sent for one request name and key. */
  private static final class Stats {
    final AtomicInteger requests = new AtomicInteger();
    final AtomicLong bytesSent = new AtomicLong();
  }

  private FakeAdminServer(Vertx vertx, Behaviour behaviour) {
    this.vertx = vertx;
    this.behaviour = behaviour;
    this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
  }

  /** Starts listening on 127.0.0.1 (an ephemeral port) and returns once it does. */
  public static FakeAdminServer start(Vertx vertx, Behaviour behaviour) {
    FakeAdminServer s = new FakeAdminServer(vertx, behaviour);
    try {
      s.server
          .connectHandler(s::accept)
          .listen()
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the fake admin server did not start", e);
    }
    return s;
  }

  public int port() {
    return server.actualPort();
  }

  /** Where it listens, e.g. {@code tcp://127.0.0.1:40123}. */
  public String endpoint() {
    return "tcp://127.0.0.1:" + port();
  }

  /** Requests read so far. */
  public long served() {
    return served.get();
  }

  /** Connections accepted so far (a client that sends nothing is counted here only). */
  public long connections() {
    return connections.get();
  }

  /** Requests in flight now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The most requests that were in flight at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** How many times {@code request} was asked about {@code key} (null for local calls). */
  public int requests(String request, String key) {
    Stats s = stats.get(id(request, key));
    return s == null ? 0 : s.requests.get();
  }

  /** Reply bytes handed to sockets for {@code request} about {@code key}, all requests summed. */
  public long bytesSent(String request, String key) {
    Stats s = stats.get(id(request, key));
    return s == null ? 0 : s.bytesSent.get();
  }

  /**
   * The mean time from accepting a connection to having read its request, in microseconds: what the
   * client and the network took to send it.
   */
  public double meanRequestWaitMicros() {
    long n = served.get();
    return n == 0 ? 0 : waitNanos.get() / 1e3 / n;
  }

  /**
   * The mean time from reading a request to handing over the last byte of a complete reply, in
   * microseconds, over the requests answered in full: the planned delay and the fake's own cost.
   */
  public double meanAnswerMicros() {
    long n = answered.get();
    return n == 0 ? 0 : answerNanos.get() / 1e3 / n;
  }

  /** Sets every counter back to zero (between two runs against one server). */
  public void resetCounters() {
    served.set(0);
    connections.set(0);
    waitNanos.set(0);
    answerNanos.set(0);
    answered.set(0);
    maxInFlight.set(inFlight.get());
    stats.clear();
  }

  private static String id(String request, String key) {
    return key == null ? request : request + "/" + key.toLowerCase(java.util.Locale.ROOT);
  }

  private void accept(NetSocket socket) {
    connections.incrementAndGet();
    Connection c = new Connection(socket);
    socket.handler(c::onData);
    socket.exceptionHandler(e -> c.onClosed()); // e.g. reset by a client that stopped reading
    socket.closeHandler(v -> c.onClosed());
  }

  /** One connection; all its events run on one event loop, so its fields need no locking. */
  private final class Connection {
    final NetSocket socket;
    long acceptedAt = System.nanoTime();
    long askedAt;
    Buffer received = Buffer.buffer();
    boolean asked;
    boolean done;
    boolean closed;
    long timer = -1;
    Stats stats;
    ObjectNode request;

    Connection(NetSocket socket) {
      this.socket = socket;
    }

    void onData(Buffer chunk) {
      if (asked || closed) {
        return;
      }
      received.appendBuffer(chunk);
      if (received.length() > MAX_REQUEST_BYTES) {
        socket.close();
        return;
      }
      int end = objectEnd(received);
      if (end < 0) {
        return;
      }
      asked = true;
      askedAt = System.nanoTime();
      waitNanos.addAndGet(askedAt - acceptedAt);
      JsonNode parsed;
      try {
        parsed = JSON.readTree(received.getBytes(0, end));
      } catch (Exception e) {
        socket.close();
        return;
      }
      received = null;
      request = parsed.isObject() ? (ObjectNode) parsed : JSON.createObjectNode();
      String name = request.path("request").asText("");
      JsonNode k = request.path("arguments").path("key");
      String key = k.isTextual() ? k.asText() : null;
      served.incrementAndGet();
      stats = FakeAdminServer.this.stats.computeIfAbsent(id(name, key), x -> new Stats());
      stats.requests.incrementAndGet();
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      Reply plan;
      try {
        plan = behaviour.reply(name, key);
      } catch (RuntimeException e) {
        plan = Reply.failure("fake behaviour failed: " + e, Duration.ZERO);
      }
      answer(plan, key);
    }

    void answer(Reply plan, String key) {
      if (plan instanceof Reply.Success s) {
        later(s.delay(), () -> sendAndClose(envelope(s.response())));
      } else if (plan instanceof Reply.Failure f) {
        ObjectNode e = JSON.createObjectNode().put("status", "error").put("error", f.message());
        e.set("request", request);
        later(f.delay(), () -> sendAndClose(bytes(e)));
      } else if (plan instanceof Reply.Raw r) {
        later(r.delay(), () -> sendRawAndClose(r.bytes()));
      } else if (plan instanceof Reply.Silent) {
        // Nothing, ever: the client's timeout has to end it.
      } else if (plan instanceof Reply.ByteByByte b) {
        trickle(envelope(b.response()), 0, Math.max(1, b.gap().toMillis()));
      } else if (plan instanceof Reply.Huge h) {
        later(h.delay(), () -> pump(new HugeSource(head(), h.bytes())));
      } else if (plan instanceof Reply.ManyKeys m) {
        later(m.delay(), () -> pump(new KeysSource(head(), key, m.count())));
      } else {
        throw new IllegalArgumentException("unknown reply plan " + plan);
      }
    }

    /** The success envelope up to where the response object begins. */
    private byte[] head() {
      return ("{\"status\":\"success\",\"request\":" + request + ",\"response\":")
          .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] envelope(JsonNode response) {
      ObjectNode e = JSON.createObjectNode().put("status", "success");
      e.set("request", request);
      e.set("response", response);
      return bytes(e);
    }

    private void later(Duration delay, Runnable action) {
      long ms = delay.toMillis();
      if (ms <= 0) {
        action.run();
      } else {
        timer =
            vertx.setTimer(
                ms,
                t -> {
                  timer = -1;
                  if (!closed) {
                    action.run();
                  }
                });
      }
    }

    /** Sends raw bytes, whatever they are, and closes: hostile replies end their connection. */
    private void sendRawAndClose(byte[] reply) {
      if (closed) {
        return;
      }
      write(reply);
      answeredInFull();
      socket.close();
    }

    /**
     * Sends a whole reply; like Yggdrasil, keeps the connection for the next request on keepalive.
     */
    private void sendAndClose(byte[] reply) {
      if (closed) {
        return;
      }
      write(reply);
      answeredInFull();
      if (request.path("keepalive").asBoolean(false)) {
        asked = false;
        done = false;
        received = Buffer.buffer();
        acceptedAt = System.nanoTime();
      } else {
        socket.close();
      }
    }

    private void answeredInFull() {
      if (!done) {
        answerNanos.addAndGet(System.nanoTime() - askedAt);
        answered.incrementAndGet();
      }
      finished();
    }

    private void trickle(byte[] reply, int at, long gapMillis) {
      timer =
          vertx.setTimer(
              gapMillis,
              t -> {
                timer = -1;
                if (closed) {
                  return;
                }
                write(Arrays.copyOfRange(reply, at, at + 1));
                if (at + 1 == reply.length) {
                  answeredInFull();
                  socket.close();
                } else {
                  trickle(reply, at + 1, gapMillis);
                }
              });
    }

    /**
     * Writes chunks while the socket takes them; resumes when it drains; ends at the source's end.
     */
    private void pump(ChunkSource source) {
      while (!closed) {
        if (socket.writeQueueFull()) {
          socket.drainHandler(v -> pump(source));
          return;
        }
        byte[] next = source.next();
        if (next == null) {
          answeredInFull();
          socket.close();
          return;
        }
        write(next);
      }
    }

    private void write(byte[] b) {
      stats.bytesSent.addAndGet(b.length);
      socket.write(Buffer.buffer(b));
    }

    private void finished() {
      if (!done) {
        done = true;
        inFlight.decrementAndGet();
      }
    }

    void onClosed() {
      if (closed) {
        return;
      }
      closed = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      if (asked) {
        finished();
      }
    }
  }

  /** Where the first JSON object in {@code b} ends (exclusive), or -1 if it has not ended yet. */
  private static int objectEnd(Buffer b) {
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0; i < b.length(); i++) {
      byte c = b.getByte(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          return i + 1;
        }
      }
    }
    return -1;
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A reply produced piece by piece; {@code next} returns null at the end. */
  private interface ChunkSource {
    byte[] next();
  }

  /** {@code head{"padding":"aaaa...."}}} of {@code total} bytes, one 64 KiB chunk at a time. */
  private static final class HugeSource implements ChunkSource {
    private static final byte[] TAIL = "\"}}".getBytes(StandardCharsets.UTF_8);
    private final byte[] fill = new byte[CHUNK];
    private byte[] head;
    private long left;
    private boolean tailSent;

    HugeSource(byte[] envelopeHead, long total) {
      byte[] open = "{\"padding\":\"".getBytes(StandardCharsets.UTF_8);
      head = Arrays.copyOf(envelopeHead, envelopeHead.length + open.length);
      System.arraycopy(open, 0, head, envelopeHead.length, open.length);
      Arrays.fill(fill, (byte) 'a');
      left = Math.max(0, total - head.length - TAIL.length);
    }

    @Override
    public byte[] next() {
      if (head != null) {
        byte[] h = head;
        head = null;
        return h;
      }
      if (left > 0) {
        int n = (int) Math.min(CHUNK, left);
        left -= n;
        return n == CHUNK ? fill : Arrays.copyOf(fill, n);
      }
      if (!tailSent) {
        tailSent = true;
        return TAIL;
      }
      return null;
    }
  }

  /** {@code head{"<address>":{"keys":["<hex>",...]}}}}, about 1,000 keys per chunk. */
  private static final class KeysSource implements ChunkSource {
    private static final int PER_CHUNK = 1000;
    private final SplittableRandom random;
    private final byte[] head;
    private int left;
    private boolean started;
    private boolean first = true;
    private boolean ended;

    KeysSource(byte[] envelopeHead, String key, int count) {
      String owner = key == null ? "self" : addressOf(key);
      String open = "{\"" + owner + "\":{\"keys\":[";
      byte[] o = open.getBytes(StandardCharsets.UTF_8);
      head = Arrays.copyOf(envelopeHead, envelopeHead.length + o.length);
      System.arraycopy(o, 0, head, envelopeHead.length, o.length);
      left = count;
      random = new SplittableRandom(count * 31L + (key == null ? 0 : key.hashCode()));
    }

    @Override
    public byte[] next() {
      if (!started) {
        started = true;
        return head;
      }
      if (left > 0) {
        StringBuilder sb = new StringBuilder(PER_CHUNK * 67);
        byte[] k = new byte[32];
        for (int i = 0; i < PER_CHUNK && left > 0; i++, left--) {
          random.nextBytes(k);
          sb.append(first ? "\"" : ",\"").append(HexFormat.of().formatHex(k)).append('"');
          first = false;
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
      }
      if (!ended) {
        ended = true;
        return "]}}}".getBytes(StandardCharsets.US_ASCII);
      }
      return null;
    }
  }

  /**
   * The overlay address of a key as Yggdrasil 0.4 prints it, or the key itself if it is not one.
   */
  public static String addressOf(String key) {
    try {
      return OverlayAddress.forKey(VerifyingKey.parseHex(key)).toString();
    } catch (RuntimeException e) {
      return key;
    }
  }

  /** Stops listening and closes the connections still open. */
  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the fake admin server did not stop", e);
    }
  }
}
