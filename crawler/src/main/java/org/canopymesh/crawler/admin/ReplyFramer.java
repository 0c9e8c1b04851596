package org.canopymesh.crawler.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Finds where one JSON object ends in a byte stream that arrives in pieces (or byte by byte),
 * without trusting the sender: it stops at {@code maxBytes} and at {@code maxDepth} levels.
 */
final class ReplyFramer {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final int maxBytes;
  private final int maxDepth;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final JsonParser parser;
  private int depth;
  private boolean started;
  private boolean complete;

  ReplyFramer(int maxBytes, int maxDepth) {
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    try {
      this.parser = FACTORY.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Feeds the next piece; returns true once the top-level object is complete. Bytes after the
   * object are ignored.
   *
   * @throws AdminException if the reply is too large, too deep, or not a JSON object
   */
  boolean feed(byte[] chunk) {
    if (complete) {
      return true;
    }
    if (bytes.size() + chunk.length > maxBytes) {
      throw protocol("the reply is larger than " + maxBytes + " bytes");
    }
    bytes.write(chunk, 0, chunk.length);
    try {
      ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(chunk, 0, chunk.length);
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
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          if (--depth == 0) {
            complete = true;
            return true;
          }
        }
      }
    } catch (IOException e) {
      throw protocol("the reply is not valid JSON");
    }
    return false;
  }

  /** Whether any part of a reply has arrived. */
  boolean started() {
    return bytes.size() > 0;
  }

  /** The bytes received so far (the whole reply once {@link #feed} returned true). */
  byte[] bytes() {
    return bytes.toByteArray();
  }

  private static AdminException protocol(String message) {
    return new AdminException(AdminException.Kind.PROTOCOL, message);
  }
}
