package io.github.pierdat.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 response parsed from raw bytes (the first one if several were pipelined).
 *
 * @param status the status code
 * @param headers header fields by lower-case name
 * @param body the body (Content-Length bytes, or the rest)
 * @param rest bytes after this response
 */
public record RawResponse(int status, Map<String, String> headers, byte[] body, byte[] rest) {

  public static RawResponse parse(byte[] raw, boolean head) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IllegalArgumentException("no complete response head in: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    int bodyStart = end + 4;
    int length = head || status == 304 ? 0
        : headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : raw.length - bodyStart;
    byte[] body = Arrays.copyOfRange(raw, bodyStart, Math.min(raw.length, bodyStart + length));
    byte[] rest = Arrays.copyOfRange(raw, Math.min(raw.length, bodyStart + length), raw.length);
    return new RawResponse(status, headers, body, rest);
  }

  public String header(String name) {
    return headers.get(name);
  }
}
