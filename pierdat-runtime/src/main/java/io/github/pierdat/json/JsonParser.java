package io.github.pierdat.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict RFC 8259 parser of one document into the plain values {@link Json} describes. */
final class JsonParser {

  private final String text;
  private final int maxDepth;
  private int pos;

  JsonParser(String text, int maxDepth) {
    this.text = text;
    this.maxDepth = maxDepth;
  }

  Object document() {
    skipSpace();
    Object value = value(1);
    skipSpace();
    if (pos != text.length()) {
      throw error("the end of the document");
    }
    return value;
  }

  private Object value(int depth) {
    char c = peek();
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("a value");
    }
  }

  private Map<String, Object> object(int depth) {
    nest(depth);
    Map<String, Object> map = new LinkedHashMap<>();
    pos++;
    skipSpace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("a member name in double quotes");
      }
      int keyAt = pos;
      String key = string();
      if (map.containsKey(key)) {
        pos = keyAt;
        throw new JsonException(position() + ": duplicate member name " + Json.quote(key)
            + "; expected every name of an object once");
      }
      skipSpace();
      expect(':');
      skipSpace();
      map.put(key, value(depth + 1));
      skipSpace();
      if (peek() == '}') {
        pos++;
        return Collections.unmodifiableMap(map);
      }
      expect(',', "',' or '}'");
    }
  }

  private List<Object> array(int depth) {
    nest(depth);
    List<Object> list = new ArrayList<>();
    pos++;
    skipSpace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipSpace();
      list.add(value(depth + 1));
      skipSpace();
      if (peek() == ']') {
        pos++;
        return Collections.unmodifiableList(list);
      }
      expect(',', "',' or ']'");
    }
  }

  private void nest(int depth) {
    if (depth > maxDepth) {
      throw error("at most " + maxDepth + " levels of nested objects and arrays");
    }
  }

  private String string() {
    pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("a closing '\"'");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return out.toString();
      }
      if (c < 0x20) {
        throw error("no unescaped control character inside a string");
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && pos + 1 < text.length() && Character.isLowSurrogate(text.charAt(pos + 1))) {
          out.append(c).append(text.charAt(pos + 1));
          pos += 2;
          continue;
        }
        throw error("no unpaired surrogate inside a string");
      }
      pos++;
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = peek();
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append(escapedChar());
          continue;
        }
        default -> throw error("an escape: one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
      }
      pos++;
    }
  }

  /** At the {@code u} of {@code \\uXXXX}: the character, or both halves of an escaped surrogate pair. */
  private String escapedChar() {
    int escapeAt = pos - 1;
    char c = hex4();
    if (Character.isHighSurrogate(c)) {
      if (text.startsWith("\\u", pos)) {
        pos++;
        char low = hex4();
        if (Character.isLowSurrogate(low)) {
          return new String(new char[] {c, low});
        }
      }
      pos = escapeAt;
      throw error("a high surrogate escape followed by a low surrogate escape");
    }
    if (Character.isLowSurrogate(c)) {
      pos = escapeAt;
      throw error("no low surrogate escape without a high one before it");
    }
    return String.valueOf(c);
  }

  private char hex4() {
    pos++;
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = pos < text.length() ? Character.digit(text.charAt(pos), 16) : -1;
      if (digit < 0 || text.charAt(pos) > 'f') {
        throw error("four hex digits after \\u");
      }
      value = value * 16 + digit;
      pos++;
    }
    return (char) value;
  }

  private Number number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (!digits()) {
      throw error("a digit");
    }
    boolean integral = true;
    if (peek() == '.') {
      pos++;
      integral = false;
      if (!digits()) {
        throw error("a digit after '.'");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      integral = false;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!digits()) {
        throw error("a digit in the exponent");
      }
    }
    String n = text.substring(start, pos);
    if (integral && n.length() <= 20) {
      try {
        return Long.parseLong(n);
      } catch (NumberFormatException e) {
        // Beyond a long: a BigDecimal below.
      }
    }
    try {
      return new BigDecimal(n);
    } catch (NumberFormatException | ArithmeticException e) {
      pos = start;
      throw error("a number of a size Java can hold");
    }
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos > start;
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("a value");
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) {
    expect(c, "'" + c + "'");
  }

  private void expect(char c, String expected) {
    if (peek() != c) {
      throw error(expected);
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private JsonException error(String expected) {
    String found;
    if (pos >= text.length()) {
      found = "the end of the input";
    } else {
      char c = text.charAt(pos);
      found = c < 0x20 || c == 0x7f || Character.isSurrogate(c)
          ? String.format("U+%04X", (int) c)
          : "'" + c + "'";
    }
    return new JsonException(position() + ": expected " + expected + " but found " + found);
  }

  private String position() {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(pos, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return "line " + line + ", column " + column;
  }
}
