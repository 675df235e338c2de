package io.github.pierdat.backend.http.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns a request-target into the path to look up, or rejects it. The result is only ever used as a key
 * into a fixed map built from pier.dat, never as a file name; the checks here are a second line of
 * defence that also keeps logs and metrics clean.
 */
final class RequestTarget {

  /** The target is not a well-formed origin- or absolute-form target: answer 400. */
  static final String BAD = "\0bad";
  /** The target is well formed but can never name an artifact (encoded separators, dot segments): 404. */
  static final String NONE = "\0none";

  private RequestTarget() {}

  /**
   * The decoded path of {@code target}: {@link #BAD} for malformed targets, {@link #NONE} for targets that
   * try to encode a separator, a dot, a backslash, a control character, or contain dot segments.
   */
  static String path(String target) {
    String raw = target;
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      // absolute-form (RFC 9112 3.2.2): the authority is ignored, only the path counts
      int authority = raw.indexOf("//") + 2;
      int slash = raw.indexOf('/', authority);
      int query = raw.indexOf('?', authority);
      if (slash < 0 || (query >= 0 && query < slash)) {
        raw = "/" + (query >= 0 ? raw.substring(query) : "");
      } else {
        raw = raw.substring(slash);
      }
    }
    if (!raw.startsWith("/")) {
      return BAD;
    }
    int query = raw.indexOf('?');
    if (query >= 0) {
      raw = raw.substring(0, query);
    }
    ByteBuffer bytes = ByteBuffer.allocate(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '#') {
        return BAD;
      }
      if (c != '%') {
        bytes.put((byte) c);
        continue;
      }
      if (i + 2 >= raw.length()) {
        return BAD;
      }
      int hi = Character.digit(raw.charAt(i + 1), 16);
      int lo = Character.digit(raw.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return BAD;
      }
      int b = hi << 4 | lo;
      // Encoded separators, dots and backslashes only serve to smuggle traversal past a check.
      if (b == '/' || b == '.' || b == '\\' || b < 0x20 || b == 0x7f || b == '%') {
        return NONE;
      }
      bytes.put((byte) b);
      i += 2;
    }
    bytes.flip();
    String path;
    try {
      path = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      return NONE;
    }
    if (path.indexOf('\\') >= 0) {
      return NONE;
    }
    if (path.equals("/")) {
      return path;
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return NONE;
      }
    }
    return path;
  }
}
