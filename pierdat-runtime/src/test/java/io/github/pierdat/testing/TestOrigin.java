package io.github.pierdat.testing;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 origin on 127.0.0.1 for tests, on a raw {@link ServerSocket} so it can misbehave the
 * way real servers and networks do: drop connections mid-body, stall, fail with 5xx, ignore Range,
 * redirect, demand Basic auth. Serves byte arrays with Range, If-Range and a strong ETag; records every
 * request (with its headers) and counts the body bytes it sent. One connection per request.
 */
public final class TestOrigin implements Closeable {

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final Map<String, String> redirects = new ConcurrentHashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong bytesServed = new AtomicLong();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private volatile String retryAfter;
  private final AtomicLong dropAfter = new AtomicLong(-1);
  private volatile boolean dropAlways;
  private final AtomicLong stallAfter = new AtomicLong(-1);
  private volatile Duration stallFor = Duration.ZERO;
  private volatile boolean ignoreRange;
  private volatile String requiredAuthorization;
  private volatile String requiredProxyAuthorization;
  private volatile long bytesPerSecond;

  private TestOrigin() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "test-origin-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts an origin on a free port of 127.0.0.1. */
  public static TestOrigin start() throws IOException {
    return new TestOrigin();
  }

  /** Random bytes, the same for the same size and seed. */
  public static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT/path}. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  /** Serves {@code bytes} at {@code path}. */
  public TestOrigin serve(String path, byte[] bytes) {
    files.put(path, bytes);
    return this;
  }

  /** Answers every request for {@code path} with this status and a short body. */
  public TestOrigin status(String path, int status) {
    statuses.put(path, status);
    return this;
  }

  /** Answers {@code path} with a 302 to {@code location} (relative or absolute). */
  public TestOrigin redirect(String path, String location) {
    redirects.put(path, location);
    return this;
  }

  /** Answers the next {@code times} requests with {@code status}, whatever they ask for. */
  public TestOrigin failNext(int status, int times) {
    failureStatus = status;
    failuresLeft.set(times);
    return this;
  }

  /** Adds a Retry-After header to the failures of {@link #failNext}. */
  public TestOrigin retryAfter(String value) {
    retryAfter = value;
    return this;
  }

  /** Closes the connection after sending {@code bytes} body bytes: once, or in every response. */
  public TestOrigin dropAfter(long bytes, boolean always) {
    dropAlways = always;
    dropAfter.set(bytes);
    return this;
  }

  /** Once, after sending {@code bytes} body bytes, sends nothing for {@code duration}, then closes. */
  public TestOrigin stallAfter(long bytes, Duration duration) {
    stallFor = duration;
    stallAfter.set(bytes);
    return this;
  }

  /** Answers range requests with the whole file (200), like servers without range support. */
  public TestOrigin ignoreRange(boolean value) {
    ignoreRange = value;
    return this;
  }

  /** Requires HTTP Basic with these credentials (401 otherwise). */
  public TestOrigin requireBasic(String user, String password) {
    requiredAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /**
   * Requires HTTP Basic with these credentials from clients that use this origin as their proxy
   * (requests in absolute form, {@code GET http://host/path}); 407 otherwise.
   */
  public TestOrigin requireProxyBasic(String user, String password) {
    requiredProxyAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Sends bodies at about this many bytes per second; 0 for as fast as possible. */
  public TestOrigin throttle(long value) {
    bytesPerSecond = value;
    return this;
  }

  /** Every request received so far, in order. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Body bytes written to sockets so far (over all requests). */
  public long bytesServed() {
    return bytesServed.get();
  }

  /** The strong ETag of the file at {@code path}. */
  public static String etag(byte[] bytes) {
    return "\"" + Integer.toHexString(java.util.Arrays.hashCode(bytes)) + "-" + bytes.length + "\"";
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    acceptor.interrupt();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        Thread handler = new Thread(() -> handle(socket), "test-origin-conn");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket socket) {
    try (socket) {
      Request request = readRequest(socket.getInputStream());
      if (request == null) {
        return;
      }
      requests.add(request);
      respond(request, new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    } catch (IOException | InterruptedException e) {
      // The client went away: that is what several tests do on purpose.
    } finally {
      sockets.remove(socket);
    }
  }

  private void respond(Request request, OutputStream out) throws IOException, InterruptedException {
    String proxyAuth = requiredProxyAuthorization;
    if (request.viaProxy() && proxyAuth != null && !proxyAuth.equals(request.header("proxy-authorization"))) {
      writeHead(out, 407, Map.of("Proxy-Authenticate", "Basic realm=\"proxy\""), 0);
      out.flush();
      return;
    }
    String auth = requiredAuthorization;
    if (auth != null && !auth.equals(request.header("authorization"))) {
      writeHead(out, 401, Map.of("WWW-Authenticate", "Basic realm=\"test\""), 0);
      out.flush();
      return;
    }
    Integer status = statuses.get(request.path());
    if (status != null) {
      writeSmall(out, status, Map.of());
      return;
    }
    if (failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      writeSmall(out, failureStatus, retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter));
      return;
    }
    String location = redirects.get(request.path());
    if (location != null) {
      writeSmall(out, 302, Map.of("Location", location));
      return;
    }
    byte[] file = files.get(request.path());
    if (file == null) {
      writeSmall(out, 404, Map.of());
      return;
    }
    String etag = etag(file);
    Map<String, String> headers = new HashMap<>();
    headers.put("ETag", etag);
    headers.put("Accept-Ranges", "bytes");
    int start = 0;
    int end = file.length;
    int code = 200;
    String range = request.header("range");
    String ifRange = request.header("if-range");
    if (range != null && !ignoreRange && (ifRange == null || ifRange.equals(etag))) {
      Matcher m = RANGE.matcher(range.trim());
      if (m.matches()) {
        long first = Long.parseLong(m.group(1));
        if (first >= file.length) {
          writeSmall(out, 416, Map.of("Content-Range", "bytes */" + file.length));
          return;
        }
        start = (int) first;
        if (!m.group(2).isEmpty()) {
          end = (int) Math.min(file.length, Long.parseLong(m.group(2)) + 1);
        }
        code = 206;
        headers.put("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + file.length);
      }
    }
    writeHead(out, code, headers, end - start);
    writeBody(out, file, start, end);
  }

  private void writeBody(OutputStream out, byte[] file, int start, int end)
      throws IOException, InterruptedException {
    long rate = bytesPerSecond;
    int chunk = rate > 0 ? (int) Math.max(1024, Math.min(64 * 1024, rate / 50)) : 64 * 1024;
    long sent = 0;
    int offset = start;
    while (offset < end) {
      int n = Math.min(chunk, end - offset);
      long drop = dropAfter.get();
      if (drop >= 0 && sent + n >= drop) {
        if (dropAlways || dropAfter.compareAndSet(drop, -1)) {
          int last = (int) (drop - sent);
          bytesServed.addAndGet(last);
          out.write(file, offset, last);
          out.flush();
          return;
        }
      }
      long stall = stallAfter.get();
      if (stall >= 0 && sent + n >= stall && stallAfter.compareAndSet(stall, -1)) {
        int last = (int) (stall - sent);
        bytesServed.addAndGet(last);
        out.write(file, offset, last);
        out.flush();
        Thread.sleep(stallFor.toMillis());
        return;
      }
      // Counted before the write: the client may finish, and a test read the count, before write() returns.
      bytesServed.addAndGet(n);
      out.write(file, offset, n);
      out.flush();
      sent += n;
      offset += n;
      if (rate > 0) {
        Thread.sleep(Math.max(1, n * 1000L / rate));
      }
    }
    out.flush();
  }

  private static void writeSmall(OutputStream out, int status, Map<String, String> headers) throws IOException {
    byte[] body = ("status " + status + "\n").getBytes(StandardCharsets.US_ASCII);
    writeHead(out, status, headers, body.length);
    out.write(body);
    out.flush();
  }

  private static void writeHead(OutputStream out, int status, Map<String, String> headers, long length)
      throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
        .append("\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Content-Length: ").append(length).append("\r\n");
    head.append("Connection: close\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 206 -> "Partial Content";
      case 302 -> "Found";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 407 -> "Proxy Authentication Required";
      case 416 -> "Range Not Satisfiable";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  private static Request readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    String target = requestLine[1];
    boolean viaProxy = target.startsWith("http://");
    String path = viaProxy ? URI.create(target).getRawPath() : target;
    return new Request(requestLine[0], path, Map.copyOf(headers), viaProxy);
  }

  /**
   * One request as received.
   *
   * @param method e.g. GET
   * @param path the request target
   * @param headers header names in lowercase
   * @param viaProxy true if it came in absolute form, as a client sends it to a proxy
   */
  public record Request(String method, String path, Map<String, String> headers, boolean viaProxy) {

    /** The header's value, or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }
}
