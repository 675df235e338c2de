package io.github.pierdat.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes plain values as JSON text, compact or pretty. The pretty layout is the one pier.dat has always had
 * (2-space indent by object nesting, {@code "key" : value}, arrays on one line as {@code [ a, b ]}, {@code [
 * ]} and {@code { }} when empty), so images built before keep their digests.
 */
final class JsonWriter {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final StringBuilder out = new StringBuilder();
  private final boolean pretty;

  JsonWriter(boolean pretty) {
    this.pretty = pretty;
  }

  String write(Object value) {
    value(value, 0, 1);
    return out.toString();
  }

  /** Writes {@code value}; {@code objects} counts the objects around it (the pretty indent). */
  private void value(Object value, int objects, int depth) {
    if (depth > Json.MAX_DEPTH) {
      throw new JsonException("cannot write more than " + Json.MAX_DEPTH + " levels of nesting (a cycle?)");
    }
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof BigDecimal d) {
      out.append(d.toString());
    } else if (value instanceof Map<?, ?> map) {
      object(map, objects, depth);
    } else if (value instanceof Collection<?> list) {
      array(list, objects, depth);
    } else {
      throw new JsonException("cannot write a " + value.getClass().getName() + " as JSON; expected a String, "
          + "Boolean, integral number, BigDecimal, Map, Collection or null");
    }
  }

  private void object(Map<?, ?> map, int objects, int depth) {
    if (map.isEmpty()) {
      out.append(pretty ? "{ }" : "{}");
      return;
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new JsonException("cannot write the object key " + entry.getKey() + "; expected a String");
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      if (pretty) {
        newline(objects + 1);
      }
      string(key);
      out.append(pretty ? " : " : ":");
      value(entry.getValue(), objects + 1, depth + 1);
    }
    if (pretty) {
      newline(objects);
    }
    out.append('}');
  }

  private void array(Collection<?> list, int objects, int depth) {
    if (list.isEmpty()) {
      out.append(pretty ? "[ ]" : "[]");
      return;
    }
    out.append(pretty ? "[ " : "[");
    boolean first = true;
    for (Object item : list) {
      if (!first) {
        out.append(pretty ? ", " : ",");
      }
      first = false;
      value(item, objects, depth + 1);
    }
    out.append(pretty ? " ]" : "]");
  }

  private void newline(int indent) {
    out.append('\n');
    out.append("  ".repeat(indent));
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || (Character.isSurrogate(c) && !paired(s, i))) {
            // An unpaired surrogate has no UTF-8 form: escaped, the text stays valid JSON and UTF-8.
            out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15])
                .append(HEX[c & 15]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean paired(String s, int i) {
    char c = s.charAt(i);
    return Character.isHighSurrogate(c)
        ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
