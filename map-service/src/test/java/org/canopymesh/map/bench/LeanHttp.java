package org.canopymesh.map.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client on one keep-alive loopback connection. The JDK's HttpClient costs about
 * as much CPU per request as the service's own handling, and both share two cores here; this one
 * writes a request and reads the answer, nothing more, so that what is timed is the service. Bodies
 * with {@code Content-Length} or chunked; not thread-safe (one per thread).
 */
final class LeanHttp implements AutoCloseable {
  /** An answer; header names in lower case. */
  record Answer(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final URI base;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  LeanHttp(URI base) throws IOException {
    this.base = base;
    socket = new Socket(base.getHost(), base.getPort());
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(120_000);
    in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    out = new BufferedOutputStream(socket.getOutputStream(), 1 << 14);
  }

  Answer get(String path, String... headers) throws IOException {
    return send("GET", path, null, headers);
  }

  /** Posts {@code body} (UTF-8 bytes: report notes hold an em dash) as {@code text/plain}. */
  Answer post(String path, byte[] body) throws IOException {
    return send("POST", path, body, "Content-Type", "text/plain; charset=utf-8");
  }

  private Answer send(String method, String path, byte[] body, String... headers)
      throws IOException {
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ");
    head.append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.write(body);
    }
    out.flush();
    return read(method.equals("HEAD"));
  }

  private Answer read(boolean headOnly) throws IOException {
    String statusLine = line();
    if (!statusLine.startsWith("HTTP/1.1 ")) {
      throw new IOException("not an HTTP answer: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, String> headers = new HashMap<>();
    for (String h; !(h = line()).isEmpty(); ) {
      int colon = h.indexOf(':');
      if (colon > 0) {
        headers.put(
            h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
      }
    }
    byte[] body;
    if (headOnly || status == 304 || status == 204 || status / 100 == 1) {
      body = new byte[0];
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunked();
    } else if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else {
      throw new IOException("an answer without a length: " + statusLine);
    }
    return new Answer(status, headers, body);
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      int semi = size.indexOf(';');
      int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
      if (n == 0) {
        while (!line().isEmpty()) {
          // trailers
        }
        return b.toByteArray();
      }
      b.write(in.readNBytes(n));
      line();
    }
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder(64);
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("the connection closed");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing
    }
  }
}
