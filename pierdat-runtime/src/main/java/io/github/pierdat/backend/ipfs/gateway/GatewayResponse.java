package io.github.pierdat.backend.ipfs.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response of {@link TrustlessGateway}, independent of any HTTP server: status, headers (including
 * {@code Content-Type}), the body length when known, and a way to write the body. A server sends
 * {@link #headers()}, then {@link #status()} with {@link #contentLength()} (-1: unknown, stream it chunked;
 * for HEAD requests {@link #hasBody()} is false and nothing is written), then calls {@link #writeBody}.
 * Streaming bodies read the file while writing; if that fails midway, {@link #writeBody} throws and the
 * server should abort the connection (the client's block verification catches a truncated body).
 */
public final class GatewayResponse {

  /** Writes a body. */
  @FunctionalInterface
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private final int status;
  private final Map<String, String> headers;
  private final long contentLength;
  private final Body body;
  private final boolean hasBody;

  GatewayResponse(int status, Map<String, String> headers, long contentLength, Body body, boolean hasBody) {
    this.status = status;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.contentLength = contentLength;
    this.body = body;
    this.hasBody = hasBody;
  }

  /** A plain-text error (or notice) with {@code status}. */
  static GatewayResponse text(int status, String message, boolean head, Map<String, String> extraHeaders) {
    byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/plain; charset=utf-8");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.putAll(extraHeaders);
    return new GatewayResponse(status, headers, bytes.length, out -> out.write(bytes), !head);
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** Response headers, including {@code Content-Type}; not {@code Content-Length} (see {@link #contentLength()}). */
  public Map<String, String> headers() {
    return headers;
  }

  /** The {@code Content-Type} header. */
  public String contentType() {
    return headers.get("Content-Type");
  }

  /** The body's length in bytes, or -1 when unknown. */
  public long contentLength() {
    return contentLength;
  }

  /** False for HEAD requests: send headers only. */
  public boolean hasBody() {
    return hasBody;
  }

  /** Writes the body to {@code out} (does not close it); does nothing when {@link #hasBody()} is false. */
  public void writeBody(OutputStream out) throws IOException {
    if (hasBody) {
      body.writeTo(out);
    }
  }

  /** The body as a string (for errors and tests; reads the whole body into memory). */
  public String bodyAsString() throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    body.writeTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
