package org.canopymesh.crawler.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReplyFramerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REPLY =
      "{\"status\":\"success\",\"request\":{\"request\":\"getSelf\"},"
          + "\"response\":{\"self\":{\"200::1\":{\"key\":\"ab\",\"coords\":[1,2,[3]],"
          + "\"note\":\"braces } ] { [ and \\\" quotes, \u00e9\u4e2d\"}}}}";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ReplyFramer framer() {
    return new ReplyFramer(1 << 20, AdminTransport.MAX_DEPTH);
  }

  @Test
  void completeObjectInOneChunkIsFramed() throws Exception {
    ReplyFramer f = framer();
    assertTrue(f.feed(utf8(REPLY)));
    assertEquals(JSON.readTree(REPLY), JSON.readTree(f.bytes()));
  }

  @Test
  void objectArrivingByteByByteCompletesOnItsLastByteOnly() throws Exception {
    ReplyFramer f = framer();
    byte[] all = utf8(REPLY); // multi-byte UTF-8 characters are split across feeds too
    for (int i = 0; i < all.length - 1; i++) {
      assertFalse(f.feed(new byte[] {all[i]}), "complete after byte " + i);
    }
    assertTrue(f.feed(new byte[] {all[all.length - 1]}));
    JsonNode parsed = JSON.readTree(f.bytes());
    assertEquals(
        "braces } ] { [ and \" quotes, \u00e9\u4e2d",
        parsed.at("/response/self/200::1/note").asText());
  }

  @Test
  void objectSplitAnywhereIntoTwoChunksIsFramed() throws Exception {
    byte[] all = utf8(REPLY);
    for (int cut = 1; cut < all.length; cut++) {
      ReplyFramer f = framer();
      assertFalse(f.feed(Arrays.copyOfRange(all, 0, cut)));
      assertTrue(f.feed(Arrays.copyOfRange(all, cut, all.length)), "cut at " + cut);
      assertEquals(JSON.readTree(REPLY), JSON.readTree(f.bytes()));
    }
  }

  @Test
  void bytesAfterTheObjectAreIgnored() throws Exception {
    ReplyFramer f = framer();
    assertTrue(f.feed(utf8("{\"status\":\"success\",\"response\":{}}\n{\"second\":1} garbage")));
    assertTrue(f.feed(utf8("more garbage after completion")));
    assertEquals("success", JSON.readTree(f.bytes()).path("status").asText());
    assertFalse(JSON.readTree(f.bytes()).has("second"));
  }

  @Test
  void leadingWhitespaceIsAllowed() {
    assertTrue(framer().feed(utf8(" \r\n\t{}")));
  }

  @Test
  void incompleteObjectIsNotComplete() {
    ReplyFramer f = framer();
    assertFalse(f.feed(utf8("{\"status\":\"success\",\"response\":{\"a\":[1,2")));
    assertFalse(f.feed(utf8("]}")));
    assertTrue(f.feed(utf8("}")));
  }

  @Test
  void nestingDeeperThanTheLimitIsRejected() {
    ReplyFramer f = new ReplyFramer(1 << 20, 8);
    assertTrue(
        new ReplyFramer(1 << 20, 8).feed(utf8("{\"a\":" + "[".repeat(7) + "]".repeat(7) + "}")));
    AdminException e =
        assertThrows(AdminException.class, () -> f.feed(utf8("{\"a\":" + "[".repeat(8))));
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("nested more than 8 levels"), e.getMessage());
  }

  @Test
  void defaultDepthLimitStopsAHugeNestingEarly() {
    ReplyFramer f = framer();
    AdminException e = assertThrows(AdminException.class, () -> f.feed(utf8("[".repeat(100_000))));
    assertEquals(AdminException.Kind.PROTOCOL, e.kind()); // not an object, before any depth
    AdminException deep =
        assertThrows(
            AdminException.class, () -> framer().feed(utf8("{\"a\":" + "[".repeat(100_000))));
    assertTrue(deep.getMessage().contains("nested more than 64 levels"), deep.getMessage());
  }

  @Test
  void replyLargerThanTheLimitIsRejectedBeforeItIsBuffered() {
    ReplyFramer f = new ReplyFramer(1024, 64);
    byte[] start = utf8("{\"padding\":\"" + "a".repeat(1000));
    assertFalse(f.feed(start));
    AdminException e = assertThrows(AdminException.class, () -> f.feed(new byte[25]));
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
    assertEquals("the reply is larger than 1024 bytes", e.getMessage());
    assertEquals(start.length, f.bytes().length, "the chunk over the limit was not kept");
  }

  @Test
  void replyOfExactlyTheLimitIsAccepted() {
    String body = "{\"p\":\"" + "a".repeat(1024 - 8) + "\"}";
    assertEquals(1024, utf8(body).length);
    assertTrue(new ReplyFramer(1024, 64).feed(utf8(body)));
  }

  @Test
  void topLevelArrayIsNotAnObject() {
    AdminException e = assertThrows(AdminException.class, () -> framer().feed(utf8("[1,2]")));
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
    assertEquals("the reply is not a JSON object", e.getMessage());
  }

  @Test
  void topLevelStringIsNotAnObject() {
    AdminException e =
        assertThrows(AdminException.class, () -> framer().feed(utf8("\"success\" ")));
    assertEquals("the reply is not a JSON object", e.getMessage());
  }

  @Test
  void invalidJsonIsRejected() {
    AdminException e =
        assertThrows(
            AdminException.class, () -> framer().feed(utf8("<html><body>502</body></html>")));
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
    assertEquals("the reply is not valid JSON", e.getMessage());
  }

  @Test
  void invalidJsonInsideAnObjectIsRejected() {
    ReplyFramer f = framer();
    assertFalse(f.feed(utf8("{\"status\":")));
    AdminException e = assertThrows(AdminException.class, () -> f.feed(utf8("success}")));
    assertEquals("the reply is not valid JSON", e.getMessage());
  }

  @Test
  void invalidUtf8IsRejected() {
    AdminException e =
        assertThrows(
            AdminException.class,
            () ->
                framer().feed(new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}));
    assertEquals(AdminException.Kind.PROTOCOL, e.kind());
  }
}
