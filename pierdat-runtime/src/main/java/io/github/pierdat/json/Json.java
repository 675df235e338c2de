package io.github.pierdat.json;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and a deterministic writer, for pier.dat and the few small
 * documents pierdat reads and writes; cheap to load, unlike a general data-binding library.
 *
 * <p>Values are plain Java: an object is an unmodifiable {@code Map<String, Object>} in document order, an
 * array an unmodifiable {@code List<Object>}, a string a {@code String}, a number a {@code Long} when it is an
 * integer that fits one and a {@code BigDecimal} otherwise, {@code true}/{@code false} a {@code Boolean}, and
 * {@code null} is {@code null}. {@link JsonFields} reads an object into a model with errors that name the
 * field.
 *
 * <p>The reader refuses what RFC 8259 does not allow (trailing commas, comments, leading zeros, control
 * characters or unpaired surrogates in strings, anything after the value) and also duplicate member names
 * and more than {@value #MAX_DEPTH} levels of nesting.
 */
public final class Json {

  /** How deeply objects and arrays may nest, in reading and writing. */
  public static final int MAX_DEPTH = 64;

  private Json() {}

  /**
   * Parses one JSON document.
   *
   * @throws JsonException saying the line and column, what was expected and what was found
   */
  public static Object parse(String text) {
    return new JsonParser(text, MAX_DEPTH).document();
  }

  /**
   * Parses one JSON document encoded in UTF-8 (without a byte order mark).
   *
   * @throws JsonException when the bytes are not UTF-8 or not one JSON document
   */
  public static Object parse(byte[] utf8) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      throw new JsonException("the document is not valid UTF-8: " + e.getMessage());
    }
    return parse(text);
  }

  /**
   * {@code value} as compact JSON ({@code {"a":[1,2]}}): maps in their iteration order, so a sorted or
   * insertion-ordered map gives the same text every time.
   *
   * @throws JsonException if {@code value} holds something other than the plain values above (or integral
   *     numbers of any width), or nests too deeply
   */
  public static String write(Object value) {
    return new JsonWriter(false).write(value);
  }

  /** Like {@link #write(Object)}, pretty-printed: each object member on its own line, arrays inline. */
  public static String writePretty(Object value) {
    return new JsonWriter(true).write(value);
  }

  /** {@code s} as a JSON string literal. */
  public static String quote(String s) {
    return write(s);
  }

  /** A short description of a parsed value for error messages: the value itself, or what kind it is. */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return s.length() > 80 ? quote(s.substring(0, 77)) + "..." : quote(s);
    }
    if (value instanceof Boolean || value instanceof Long || value instanceof BigDecimal) {
      return value.toString();
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    if (value instanceof List<?>) {
      return "an array";
    }
    return value.getClass().getSimpleName();
  }
}
