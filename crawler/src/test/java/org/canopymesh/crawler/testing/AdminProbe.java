package org.canopymesh.crawler.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal client for Yggdrasil's TCP admin socket, for the test harness and fixture capture. One
 * request per connection: it sends {@code {"request":NAME,"arguments":{...}}} and reads one JSON
 * reply. Yggdrasil 0.4.7 closes the connection after replying unless the request sets {@code
 * "keepalive": true}; the probe stops reading at the end of the JSON value, so it works either way.
 */
public final class AdminProbe {
  /** Remote calls ({@code getNodeInfo}, {@code debug_remote*}) give up after 6 s inside 0.4.7. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** How long to wait for the server to close after a complete reply before we close ourselves. */
  private static final int CLOSE_CHECK_MILLIS = 200;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String host;
  private final int port;
  private final Duration timeout;

  public AdminProbe(int port) {
    this("127.0.0.1", port, DEFAULT_TIMEOUT);
  }

  public AdminProbe(String host, int port, Duration timeout) {
    this.host = host;
    this.port = port;
    this.timeout = timeout;
  }

  /** A probe for an endpoint such as {@code tcp://127.0.0.1:9001}. */
  public static AdminProbe forEndpoint(String endpoint) {
    URI uri = URI.create(endpoint);
    if (!"tcp".equals(uri.getScheme()) || uri.getPort() < 0) {
      throw new IllegalArgumentException("not a tcp://host:port admin endpoint: " + endpoint);
    }
    return new AdminProbe(uri.getHost(), uri.getPort(), DEFAULT_TIMEOUT);
  }

  public AdminProbe withTimeout(Duration timeout) {
    return new AdminProbe(host, port, timeout);
  }

  public int port() {
    return port;
  }

  /** Sends {@code request} without arguments. */
  public Reply call(String request) throws IOException {
    return call(request, Map.of());
  }

  /** Sends {@code request} with {@code arguments} in the {@code "arguments"} object. */
  public Reply call(String request, Map<String, ?> arguments) throws IOException {
    return send(requestJson(request, arguments));
  }

  /** The {@code response} of a successful call; a reply with status "error" throws. */
  public JsonNode response(String request, Map<String, ?> arguments) throws IOException {
    Reply reply = call(request, arguments);
    if (!reply.isSuccess()) {
      throw new AdminError(request, reply);
    }
    return reply.response();
  }

  public JsonNode response(String request) throws IOException {
    return response(request, Map.of());
  }

  /** The request JSON this probe sends, in the form {@code yggdrasilctl} 0.4.7 sends it. */
  public static String requestJson(String request, Map<String, ?> arguments) {
    ObjectNode node = JSON.createObjectNode();
    node.put("request", request);
    node.set("arguments", JSON.valueToTree(arguments));
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalArgumentException("arguments are not JSON: " + arguments, e);
    }
  }

  /**
   * Sends {@code json} as it is (plus a newline) and returns the first JSON value that comes back.
   */
  public Reply send(String json) throws IOException {
    long started = System.nanoTime();
    try (Socket socket = new Socket()) {
      int millis = (int) Math.max(1, timeout.toMillis());
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();

      InputStream in = socket.getInputStream();
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      JsonNode parsed = null;
      boolean closed = false;
      while (parsed == null) {
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException e) {
          throw new SocketTimeoutException(
              "no complete reply from " + host + ":" + port + " within " + timeout + " to " + json);
        }
        if (n < 0) {
          closed = true;
          parsed = complete(raw.toByteArray());
          if (parsed == null) {
            throw new IOException(
                "admin socket "
                    + host
                    + ":"
                    + port
                    + " closed after "
                    + raw.size()
                    + " bytes without a complete JSON reply to "
                    + json);
          }
          break;
        }
        raw.write(buffer, 0, n);
        parsed = complete(raw.toByteArray());
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      if (!closed) {
        closed = serverCloses(socket, in, raw);
      }
      return new Reply(raw.toString(StandardCharsets.UTF_8), parsed, elapsed, closed);
    }
  }

  /** The JSON value in {@code bytes}, or null while it is still incomplete. */
  private static JsonNode complete(byte[] bytes) throws IOException {
    if (bytes.length == 0) {
      return null;
    }
    try (JsonParser parser = JSON.createParser(bytes)) {
      JsonNode node = JSON.readTree(parser);
      return node == null || node.isMissingNode() ? null : node;
    } catch (JsonEOFException e) {
      return null;
    }
  }

  /** Whether the server hangs up right after the reply (0.4.7 does, unless asked to keep alive). */
  private static boolean serverCloses(Socket socket, InputStream in, ByteArrayOutputStream raw)
      throws IOException {
    socket.setSoTimeout(CLOSE_CHECK_MILLIS);
    byte[] buffer = new byte[1024];
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        raw.write(buffer, 0, n); // only whitespace is expected here
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /**
   * One reply: the bytes as received (0.4.7 indents with two spaces and ends with a newline), the
   * parsed envelope {@code {"status", "error"?, "request", "response"}}, the time from connecting
   * to the complete reply, and whether the server closed the connection afterwards.
   */
  public record Reply(String raw, JsonNode json, Duration elapsed, boolean closedAfterReply) {
    public boolean isSuccess() {
      return "success".equals(json.path("status").asText());
    }

    public JsonNode response() {
      return json.path("response");
    }

    public Optional<String> error() {
      JsonNode error = json.get("error");
      return error == null || error.isNull() ? Optional.empty() : Optional.of(error.asText());
    }
  }

  /** A well-formed reply whose status is "error". */
  public static final class AdminError extends RuntimeException {
    private final transient Reply reply;

    AdminError(String request, Reply reply) {
      super(request + " failed: " + reply.error().orElse(reply.raw().strip()));
      this.reply = reply;
    }

    public Reply reply() {
      return reply;
    }
  }
}
