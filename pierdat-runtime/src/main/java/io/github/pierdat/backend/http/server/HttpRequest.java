package io.github.pierdat.backend.http.server;

import java.util.Locale;
import java.util.Map;

/**
 * One parsed request head.
 *
 * @param method the method token, as sent
 * @param target the request-target, as sent
 * @param version {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param headers header fields by lower-case name; repeated fields joined with {@code ", "}
 */
record HttpRequest(String method, String target, String version, Map<String, String> headers) {

  String header(String name) {
    return headers.get(name);
  }

  /** True when the request announces a body, which this server never reads. */
  boolean hasBody() {
    String length = headers.get("content-length");
    return headers.containsKey("transfer-encoding") || (length != null && !length.trim().equals("0"));
  }

  /** True when the connection may carry another request after this one. */
  boolean keepAlive() {
    String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
    if (hasBody() || connection.contains("close")) {
      return false;
    }
    return version.equals("HTTP/1.1") || connection.contains("keep-alive");
  }
}
