package io.github.pierdat.backend.http;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.manifest.Sources;
import io.github.pierdat.progress.Units;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;

/**
 * Fetching one source over HTTP(S) into a target: attempts with backoff, each resuming with a range
 * request, redirects followed by hand so credentials stay with their origin, and an idle timeout on the
 * body (the socket's read timeout). Blocking, on the caller's thread.
 */
final class HttpTransfer {

  /** A longer Retry-After is not waited for: the normal backoff applies and the build moves on. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

  private static final int READ_BUFFER = 1 << 20;

  private final HttpConnector connector;
  private final URI source;
  private final Origin origin;
  private final String authorization;
  private final FetchTarget target;
  private final FetchContext context;
  private String validator;
  private Duration retryAfter;

  /**
   * @param source the URL without user info
   * @param authorization the Authorization header value for {@code source}'s origin, or null
   */
  HttpTransfer(HttpConnector connector, URI source, String authorization, FetchTarget target,
      FetchContext context) {
    this.connector = connector;
    this.source = source;
    this.origin = Origin.of(source);
    this.authorization = authorization;
    this.target = target;
    this.context = context;
  }

  /**
   * Attempts until done. Only failures in a row without progress count against
   * {@link FetchContext#maxAttempts()}: a long download over a flaky link keeps resuming as long as each
   * attempt gets further than the one before.
   */
  void run() throws FetchException, IOException {
    int attempts = context.maxAttempts();
    int failures = 0;
    for (int total = 1; ; total++) {
      retryAfter = null;
      long before = target.position();
      try {
        attempt();
        return;
      } catch (FetchException e) {
        failures = target.position() > before ? 1 : failures + 1;
        if (!e.isRetryable() || failures >= attempts) {
          if (total == 1) {
            throw e;
          }
          throw new FetchException(e.getMessage() + " (after " + total + " attempts)", false, e.getCause());
        }
        Duration wait = backoff(failures);
        context.log().info("[pierdat] " + Sources.redact(source) + ": " + e.getMessage() + "; retrying in "
            + Units.duration(wait) + " (attempt " + (failures + 1) + " of " + attempts
            + (target.position() > 0 ? ", resuming at byte " + target.position() : "") + ")");
        sleep(wait);
      }
    }
  }

  private void attempt() throws FetchException, IOException {
    URI uri = source;
    int redirects = 0;
    while (true) {
      long position = target.position();
      boolean sendAuth = authorization != null && Origin.of(uri).equals(origin);
      HttpURLConnection connection = connector.open(uri);
      boolean done = false;
      try {
        prepare(connection, position, sendAuth);
        int status = respond(connection, uri);
        long limit = target.limit();
        if (status == 200 && limit >= 0 && (position > 0 || connection.getContentLengthLong() != limit)) {
          throw new FetchException(Sources.redact(uri) + " answered a request for bytes " + position + "-"
              + (limit - 1) + " with the whole file (HTTP 200): it does not serve byte ranges");
        }
        if (status == 200 || status == 206) {
          Optional<long[]> range = status == 200 ? Optional.of(full(connection))
              : range(connection, position);
          if (range.isPresent()) {
            long expectedEnd = range.get()[0];
            long total = range.get()[1];
            remember(connection);
            target.expectSize(status == 206 && total < 0 ? expectedEnd : total);
            receive(connection, uri, status == 200 && position > 0);
            done = true;
            long end = target.position();
            if (expectedEnd >= 0 && end != expectedEnd) {
              throw new FetchException("the connection to " + Origin.of(uri).hostPort() + " closed after byte "
                  + end + " of " + expectedEnd, true, null);
            }
            if (status == 206 && total >= 0 && end < total && end > position && (limit < 0 || end < limit)) {
              // The server sent a shorter range than asked for; ask for the rest.
              uri = source;
              redirects = 0;
              continue;
            }
            return;
          }
          String wrongRange = connection.getHeaderField("Content-Range");
          target.reset();
          throw new FetchException(Sources.redact(uri) + " answered a request for bytes " + position
              + "- with Content-Range '" + wrongRange + "'; fetching from the start", true, null);
        }
        String retryAfterHeader = connection.getHeaderField("Retry-After");
        String location = connection.getHeaderField("Location");
        discardBody(connection);
        done = true;
        if (HttpConnector.isRedirect(status)) {
          uri = redirect(uri, location, ++redirects);
          continue;
        }
        if (status == 416 && position > 0) {
          // What we have is not a prefix of what the server has: start over without a range.
          context.log().debug("[pierdat] " + Sources.redact(uri) + ": range from byte " + position
              + " not satisfiable (HTTP 416); fetching from the start");
          target.reset();
          continue;
        }
        throw statusFailure(status, uri, sendAuth, retryAfterHeader);
      } finally {
        if (!done) {
          // A failed or abandoned exchange: close the socket rather than pool a half-read connection.
          connection.disconnect();
        }
      }
    }
  }

  private void prepare(HttpURLConnection connection, long position, boolean sendAuth) {
    connection.setRequestProperty("Accept", "*/*");
    connection.setRequestProperty("Accept-Encoding", "identity");
    long limit = target.limit();
    if (position > 0 || limit >= 0) {
      connection.setRequestProperty("Range", "bytes=" + position + "-" + (limit >= 0 ? Long.toString(limit - 1) : ""));
      if (validator != null) {
        connection.setRequestProperty("If-Range", validator);
      }
    }
    if (sendAuth) {
      connection.setRequestProperty("Authorization", authorization);
    }
  }

  /** Connects and reads the status line and headers; network failures become {@link FetchException}s. */
  private int respond(HttpURLConnection connection, URI uri) throws FetchException, IOException {
    String hostPort = Origin.of(uri).hostPort();
    try {
      connection.connect();
    } catch (SocketTimeoutException e) {
      throw new FetchException("connecting to " + hostPort + " timed out after "
          + Units.duration(context.connectTimeout()), true, e);
    } catch (IOException e) {
      throw failure(e, uri);
    }
    try {
      return connection.getResponseCode();
    } catch (SocketTimeoutException e) {
      throw readTimeout(uri, e);
    } catch (IOException e) {
      throw failure(e, uri);
    }
  }

  /** The end and total of a full (200) body: its Content-Length, or -1 for both when the server did not say. */
  private static long[] full(HttpURLConnection connection) {
    long length = connection.getContentLengthLong();
    return new long[] {length, length};
  }

  /** The end and total of a 206 body when it starts where asked, else empty. */
  private static Optional<long[]> range(HttpURLConnection connection, long position) {
    String value = connection.getHeaderField("Content-Range");
    Matcher range = CONTENT_RANGE.matcher(value == null ? "" : value.trim());
    if (!range.matches() || Long.parseLong(range.group(1)) != position) {
      return Optional.empty();
    }
    long end = Long.parseLong(range.group(2)) + 1;
    long total = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
    return Optional.of(new long[] {end, total});
  }

  /**
   * Copies the body into the target. Reading failures are the server's or the network's (retryable);
   * writing failures are the local disk's and propagate as plain {@link IOException}s.
   */
  private void receive(HttpURLConnection connection, URI uri, boolean resetFirst) throws FetchException,
      IOException {
    InputStream in;
    try {
      in = connection.getInputStream();
    } catch (IOException e) {
      throw failure(e, uri);
    }
    try (in) {
      if (resetFirst) {
        target.reset();
      }
      byte[] buffer = new byte[READ_BUFFER];
      ByteBuffer wrapped = ByteBuffer.wrap(buffer);
      while (true) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("interrupted while fetching " + Sources.redact(uri));
        }
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException e) {
          throw readTimeout(uri, e);
        } catch (IOException e) {
          throw failure(e, uri);
        }
        if (n < 0) {
          return;
        }
        wrapped.clear().limit(n);
        while (wrapped.hasRemaining()) {
          target.write(wrapped);
        }
      }
    }
  }

  private static void discardBody(HttpURLConnection connection) {
    // Error and redirect bodies are small and not wanted; closing the stream lets the connection be reused.
    try (InputStream error = connection.getErrorStream()) {
      if (error != null) {
        error.transferTo(OutputStream.nullOutputStream());
      }
    } catch (IOException e) {
      connection.disconnect();
    }
  }

  private FetchException readTimeout(URI uri, IOException cause) {
    return new FetchException("no data from " + Sources.redact(uri) + " for "
        + Units.duration(context.readTimeout()) + " (read timeout) at byte " + target.position(), true, cause);
  }

  /** Keeps a strong validator, so later range requests only append to the same version of the file. */
  private void remember(HttpURLConnection connection) {
    Optional<String> etag = Optional.ofNullable(connection.getHeaderField("ETag")).filter(e -> !e.startsWith("W/"));
    validator = etag.or(() -> Optional.ofNullable(connection.getHeaderField("Last-Modified"))).orElse(null);
  }

  private URI redirect(URI from, String location, int redirects) throws FetchException {
    URI next = HttpConnector.redirect(from, location, redirects);
    context.log().debug("[pierdat] " + Sources.redact(from) + " redirects to " + next);
    return next;
  }

  private FetchException statusFailure(int status, URI uri, boolean sentAuth, String retryAfterHeader) {
    String at = " at " + Sources.redact(uri);
    if (status == 401 || status == 403) {
      return new FetchException("access denied (HTTP " + status + ")" + at + (sentAuth
          ? ": the credentials sent for " + origin.hostPort() + " were refused; check the <server> "
              + "credentials in settings.xml (or in the URL)"
          : ": configure a <serverId> on the artifact and a <server> with that id and credentials in "
              + "settings.xml"));
    }
    if (status == 404 || status == 410) {
      return new FetchException("not found (HTTP " + status + ")" + at);
    }
    if (status == 408 || status == 429 || status >= 500) {
      retryAfter = Optional.ofNullable(retryAfterHeader).flatMap(HttpTransfer::parseRetryAfter).orElse(null);
      return new FetchException("server error (HTTP " + status + ")" + at, true, null);
    }
    return new FetchException("unexpected HTTP status " + status + at);
  }

  private FetchException failure(IOException error, URI uri) {
    String hostPort = Origin.of(uri).hostPort();
    if (error instanceof UnknownHostException) {
      return new FetchException("unknown host " + Origin.of(uri).host() + " (in " + Sources.redact(uri) + ")",
          false, error);
    }
    SSLHandshakeException tls = find(error, SSLHandshakeException.class);
    if (tls != null) {
      return new FetchException("TLS failure with " + hostPort + ": " + tls.getMessage()
          + " (certificates are always verified; add the server's CA to the JVM trust store)", false, error);
    }
    if (error instanceof ConnectException || error instanceof NoRouteToHostException) {
      return new FetchException("cannot connect to " + hostPort + ": " + describe(error), true, error);
    }
    return new FetchException("connection to " + hostPort + " failed at byte " + target.position() + ": "
        + describe(error), true, error);
  }

  private Duration backoff(int attempt) {
    long base = context.initialBackoff().toMillis() << Math.min(attempt - 1, 16);
    base = Math.min(base, MAX_BACKOFF.toMillis());
    // Jitter in [base/2, base] so that many builds hit by one outage do not retry in lockstep.
    long millis = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    Duration wait = Duration.ofMillis(millis);
    if (retryAfter != null && retryAfter.compareTo(MAX_RETRY_AFTER) <= 0 && retryAfter.compareTo(wait) > 0) {
      wait = retryAfter;
    }
    return wait;
  }

  static Optional<Duration> parseRetryAfter(String value) {
    String trimmed = value.trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed))));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(ZonedDateTime.now(when.getZone()), when);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  private static void sleep(Duration wait) throws InterruptedIOException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root && (root.getMessage() == null
        || root.getMessage().isBlank())) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + message;
  }
}
