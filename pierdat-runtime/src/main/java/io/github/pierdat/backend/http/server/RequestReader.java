package io.github.pierdat.backend.http.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads request heads from a connection, strictly: a request line of {@code METHOD SP target SP
 * HTTP/1.x}, header fields without folding, no control characters or NULs, at most {@value #MAX_HEAD}
 * bytes. Bytes after a head stay buffered for the next (pipelined) request.
 */
final class RequestReader {

  static final int MAX_HEAD = 16 * 1024;
  private static final int MAX_HEADERS = 100;

  private final SocketIo io;
  private final ByteBuffer buffer = ByteBuffer.allocate(MAX_HEAD);

  RequestReader(SocketIo io) {
    this.io = io;
    buffer.flip();
  }

  /**
   * The next request, or null when the peer closed the connection between requests.
   *
   * @throws BadRequestException for a malformed or oversized head
   */
  HttpRequest next() throws IOException, BadRequestException {
    int scanned = 0;
    while (true) {
      skipLeadingNewlines();
      int end = headEnd(scanned);
      if (end >= 0) {
        byte[] head = new byte[end];
        buffer.get(head);
        buffer.position(buffer.position() + terminatorLength());
        return parse(head);
      }
      scanned = Math.max(0, buffer.remaining() - 3);
      if (buffer.remaining() >= MAX_HEAD) {
        boolean lineEnded = indexOf((byte) '\n') >= 0;
        throw new BadRequestException(lineEnded ? 431 : 414, "request head over " + MAX_HEAD + " bytes");
      }
      buffer.compact();
      int n;
      try {
        n = io.read(buffer);
      } finally {
        buffer.flip();
      }
      if (n < 0) {
        if (buffer.hasRemaining()) {
          throw new BadRequestException(400, "connection closed in the middle of a request head");
        }
        return null;
      }
    }
  }

  private void skipLeadingNewlines() {
    while (buffer.hasRemaining()) {
      byte b = buffer.get(buffer.position());
      if (b != '\r' && b != '\n') {
        return;
      }
      buffer.position(buffer.position() + 1);
    }
  }

  /** Offset (relative to position) of the blank line ending the head, or -1. */
  private int headEnd(int from) {
    int start = buffer.position();
    for (int i = Math.max(0, from); i < buffer.remaining(); i++) {
      if (buffer.get(start + i) != '\n') {
        continue;
      }
      if (i + 1 < buffer.remaining() && buffer.get(start + i + 1) == '\n') {
        return i + 1;
      }
      if (i + 2 < buffer.remaining() && buffer.get(start + i + 1) == '\r' && buffer.get(start + i + 2) == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  private int terminatorLength() {
    return buffer.get(buffer.position()) == '\r' ? 2 : 1;
  }

  private int indexOf(byte b) {
    for (int i = buffer.position(); i < buffer.limit(); i++) {
      if (buffer.get(i) == b) {
        return i;
      }
    }
    return -1;
  }

  static HttpRequest parse(byte[] head) throws BadRequestException {
    for (byte b : head) {
      if ((b < 0x20 && b != '\t' && b != '\r' && b != '\n') || b == 0x7f) {
        throw new BadRequestException(400, "control character in the request head");
      }
    }
    String text = new String(head, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\n", -1);
    String requestLine = stripCr(lines[0]);
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
      throw new BadRequestException(400, "malformed request line");
    }
    String version = parts[2];
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw new BadRequestException(version.matches("HTTP/\\d\\.\\d") ? 505 : 400, "unsupported version");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int count = 0;
    for (int i = 1; i < lines.length; i++) {
      String line = stripCr(lines[i]);
      if (line.isEmpty()) {
        continue;
      }
      if (++count > MAX_HEADERS || line.indexOf('\r') >= 0) {
        throw new BadRequestException(count > MAX_HEADERS ? 431 : 400, "too many or malformed header fields");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        throw new BadRequestException(400, "malformed header field");
      }
      String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    return new HttpRequest(parts[0], parts[1], version, headers);
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
