package org.canopymesh.agent.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Finds where one JSON object ends in bytes that arrive in pieces. Yggdrasil keeps a connection
 * open after a reply when asked to, so a client must not wait for the end of the stream; and the
 * reply is untrusted, so this stops at {@code maxBytes} and {@code maxDepth}.
 */
final class JsonFramer {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final int maxBytes;
  private final int maxDepth;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final JsonParser parser;
  private int depth;
  private boolean started;

  JsonFramer(int maxBytes, int maxDepth) {
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    try {
      this.parser = FACTORY.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Feeds the next piece; returns true once the top-level object is complete (bytes after it are
   * ignored).
   *
   * @throws AdminException if the reply is too large, too deep, or not a JSON object
   */
  boolean feed(byte[] chunk, int length) {
    if (bytes.size() + length > maxBytes) {
      throw protocol("the reply is larger than " + maxBytes + " bytes");
    }
    bytes.write(chunk, 0, length);
    try {
      ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(chunk, 0, length);
      JsonToken t;
      while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
        if (!started && t != JsonToken.START_OBJECT) {
          throw protocol("the reply is not a JSON object");
        }
        started = true;
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          if (++depth > maxDepth) {
            throw protocol("the reply is nested more than " + maxDepth + " levels");
          }
        } else if ((t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) && --depth == 0) {
          return true;
        }
      }
    } catch (IOException e) {
      throw protocol("the reply is not valid JSON");
    }
    return false;
  }

  /** The bytes received so far: the whole reply once {@link #feed} returned true. */
  byte[] bytes() {
    return bytes.toByteArray();
  }

  private static AdminException protocol(String message) {
    return new AdminException(AdminException.Kind.PROTOCOL, message);
  }
}
