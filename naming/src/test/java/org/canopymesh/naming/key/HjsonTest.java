package org.canopymesh.naming.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HjsonTest {
  @Test
  void readsQuotelessValuesToTheEndOfTheLine() {
    Map<String, Object> m =
        Hjson.parseObject("{\n  AdminListen: unix:///var/run/yggdrasil.sock\n  Name: a, b # c\n}");
    assertEquals("unix:///var/run/yggdrasil.sock", m.get("AdminListen"));
    assertEquals("a, b # c", m.get("Name"));
  }

  @Test
  void skipsAllThreeCommentForms() {
    Map<String, Object> m =
        Hjson.parseObject("# a\n// b\n/* c\n d */ {\n  # x\n  K: 1 # one\n  L: true // yes\n}");
    assertEquals("1", m.get("K"));
    assertEquals(Boolean.TRUE, m.get("L"));
  }

  @Test
  void readsObjectsArraysAndJsonValues() {
    Map<String, Object> m =
        Hjson.parseObject(
            "{\"a\": [1, \"two\", {\"b\": null}], \"c\": {}, \"d\": false, \"e\": \"x\\u0041\\n\"}");
    assertEquals(List.of("1", "two", java.util.Collections.singletonMap("b", null)), m.get("a"));
    assertEquals(Map.of(), m.get("c"));
    assertEquals(Boolean.FALSE, m.get("d"));
    assertEquals("xA\n", m.get("e"));
  }

  @Test
  void readsMultilineStringsWithoutTheirIndent() {
    Map<String, Object> m = Hjson.parseObject("{\n  T:\n    '''\n    one\n      two\n    '''\n}");
    assertEquals("one\n  two", m.get("T"));
  }

  @Test
  void readsRootWithoutBraces() {
    Map<String, Object> m = Hjson.parseObject("a: 1\nb: x y\n");
    assertEquals("1", m.get("a"));
    assertEquals("x y", m.get("b"));
  }

  @Test
  void keepsNullsAndEmptyArraysAsYggdrasilWritesThem() {
    Map<String, Object> m = Hjson.parseObject("{\n  Peers: []\n  X: null\n}");
    assertEquals(List.of(), m.get("Peers"));
    assertNull(m.get("X"));
  }

  @Test
  void rejectsUnterminatedStructures() {
    assertThrows(KeyFormatException.class, () -> Hjson.parseObject("{ a: [1, 2"));
    assertThrows(KeyFormatException.class, () -> Hjson.parseObject("{ a: \"x }"));
    assertThrows(KeyFormatException.class, () -> Hjson.parseObject("{ a 1 }"));
    assertThrows(KeyFormatException.class, () -> Hjson.parseObject("{ a: 1 } }"));
    assertThrows(KeyFormatException.class, () -> Hjson.parseObject("/* open"));
  }

  @Test
  void rejectsHostileNestingWithoutOverflowingTheStack() {
    String deep = "{a:" + "[".repeat(100_000);
    assertThrows(KeyFormatException.class, () -> Hjson.parseObject(deep));
  }
}
