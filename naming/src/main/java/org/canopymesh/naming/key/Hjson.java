package org.canopymesh.naming.key;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for Hjson (hjson.github.io), the format {@code yggdrasil -genconf} writes, and for plain
 * JSON, which is a subset of it. Values come back as {@link Map}, {@link List}, {@link String},
 * {@link Boolean}, {@code null}, or numbers as their {@link String} text (callers that want a
 * number parse it). Only what Yggdrasil configs need is typed further.
 */
final class Hjson {
  private static final int MAX_DEPTH = 64;

  private final String src;
  private int pos;
  private int depth;

  private Hjson(String src) {
    this.src = src;
  }

  /** Parses a document whose root is an object, with or without its braces. */
  static Map<String, Object> parseObject(String text) {
    Hjson p = new Hjson(text);
    p.skipSpace();
    Map<String, Object> root;
    if (p.peek() == '{') {
      root = p.object();
    } else {
      root = p.members(true);
    }
    p.skipSpace();
    if (!p.atEnd()) {
      throw p.error("unexpected text after the end of the document");
    }
    return root;
  }

  private Object value() {
    skipSpace();
    if (atEnd()) {
      throw error("a value is missing");
    }
    char c = peek();
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return quoted('"');
      case '\'':
        return src.startsWith("'''", pos) ? multiline() : quoted('\'');
      default:
        return quoteless();
    }
  }

  private Map<String, Object> object() {
    enter();
    pos++; // '{'
    Map<String, Object> m = members(false);
    if (atEnd()) {
      throw error("an object is not closed with '}'");
    }
    pos++; // '}'
    depth--;
    return m;
  }

  private Map<String, Object> members(boolean root) {
    Map<String, Object> m = new LinkedHashMap<>();
    while (true) {
      skipSpace();
      if (atEnd() || (!root && peek() == '}')) {
        return m;
      }
      String key = key();
      skipSpace();
      if (atEnd() || peek() != ':') {
        throw error("expected ':' after the name \"" + key + "\"");
      }
      pos++;
      m.put(key, value());
      skipSeparator();
    }
  }

  private List<Object> array() {
    enter();
    pos++; // '['
    List<Object> list = new ArrayList<>();
    while (true) {
      skipSpace();
      if (atEnd()) {
        throw error("an array is not closed with ']'");
      }
      if (peek() == ']') {
        pos++;
        depth--;
        return list;
      }
      list.add(value());
      skipSeparator();
    }
  }

  private String key() {
    char c = peek();
    if (c == '"' || c == '\'') {
      return quoted(c);
    }
    int start = pos;
    while (!atEnd() && !isPunctuator(peek()) && !Character.isWhitespace(peek())) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a name");
    }
    return src.substring(start, pos);
  }

  private String quoted(char quote) {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (atEnd()) {
        throw error("a string is not closed");
      }
      char c = src.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (c == '\n') {
        throw error("a quoted string may not span lines");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (atEnd()) {
        throw error("a string ends in the middle of an escape");
      }
      char e = src.charAt(pos++);
      switch (e) {
        case '"', '\'', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(unicodeEscape());
        default -> throw error("unknown escape \\" + e);
      }
    }
  }

  private char unicodeEscape() {
    if (pos + 4 > src.length()) {
      throw error("a \\u escape needs four hex digits");
    }
    try {
      char c = (char) Integer.parseInt(src.substring(pos, pos + 4), 16);
      pos += 4;
      return c;
    } catch (NumberFormatException e) {
      throw error("a \\u escape needs four hex digits");
    }
  }

  private String multiline() {
    int lineStart = src.lastIndexOf('\n', pos - 1) + 1;
    int indent = pos - lineStart;
    pos += 3;
    int end = src.indexOf("'''", pos);
    if (end < 0) {
      throw error("a ''' string is not closed");
    }
    String body = src.substring(pos, end);
    pos = end + 3;
    // Hjson: skip the first line break, strip the opening indent, drop the last line break.
    if (body.startsWith("\n")) {
      body = body.substring(1);
    } else if (body.startsWith("\r\n")) {
      body = body.substring(2);
    }
    StringBuilder sb = new StringBuilder();
    for (String line : body.split("\r?\n", -1)) {
      int cut = 0;
      while (cut < indent && cut < line.length() && line.charAt(cut) == ' ') {
        cut++;
      }
      sb.append(line, cut, line.length()).append('\n');
    }
    String s = sb.toString();
    s = s.substring(0, s.length() - 1);
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  /** A quoteless value: a keyword, a number, or a string that runs to the end of the line. */
  private Object quoteless() {
    if (isPunctuator(peek())) {
      throw error("unexpected '" + peek() + "'");
    }
    int start = pos;
    int eol = src.indexOf('\n', pos);
    if (eol < 0) {
      eol = src.length();
    }
    String line = src.substring(start, eol).strip();
    // Keywords and numbers may be followed by a comma or a comment on the same line;
    // any other text up to the end of the line is the string itself.
    String token = line.split("[\\s,#\\]}]|//|/\\*", 2)[0];
    if (token.equals("true") || token.equals("false") || token.equals("null") || isNumber(token)) {
      String rest = line.substring(token.length()).strip();
      if (rest.isEmpty() || rest.startsWith(",") || isCommentStart(rest) || isCloser(rest)) {
        pos = start + token.length();
        return switch (token) {
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          case "null" -> null;
          default -> token;
        };
      }
    }
    pos = eol;
    return line;
  }

  private static boolean isCommentStart(String s) {
    return s.startsWith("#") || s.startsWith("//") || s.startsWith("/*");
  }

  private static boolean isCloser(String s) {
    return s.startsWith("]") || s.startsWith("}");
  }

  private static boolean isNumber(String s) {
    return s.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  }

  private static boolean isPunctuator(char c) {
    return c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':';
  }

  private void skipSeparator() {
    skipSpace();
    if (!atEnd() && peek() == ',') {
      pos++;
    }
  }

  /** Skips white space and the three comment forms Hjson allows. */
  private void skipSpace() {
    while (!atEnd()) {
      char c = peek();
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#' || src.startsWith("//", pos)) {
        int eol = src.indexOf('\n', pos);
        pos = eol < 0 ? src.length() : eol + 1;
      } else if (src.startsWith("/*", pos)) {
        int end = src.indexOf("*/", pos + 2);
        if (end < 0) {
          throw error("a /* comment is not closed");
        }
        pos = end + 2;
      } else {
        return;
      }
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nested more than " + MAX_DEPTH + " levels deep");
    }
  }

  private boolean atEnd() {
    return pos >= src.length();
  }

  private char peek() {
    return src.charAt(pos);
  }

  private KeyFormatException error(String what) {
    int line = 1;
    for (int i = 0; i < Math.min(pos, src.length()); i++) {
      if (src.charAt(i) == '\n') {
        line++;
      }
    }
    return new KeyFormatException("config line " + line + ": " + what);
  }
}
