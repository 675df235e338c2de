package io.github.pierdat.backend.http;

import io.github.pierdat.PierdatVersion;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.manifest.Sources;
import io.github.pierdat.progress.Units;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;

/**
 * Fetching one source over HTTP(S) into a target: attempts with backoff, each resuming with a range
 * request, redirects followed by hand so credentials stay with their origin, and an idle timeout on the
 * body.
 */
final class HttpTransfer {

  static final int MAX_REDIRECTS = 10;
  /** A longer Retry-After is not waited for: the normal backoff applies and the build moves on. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
  private static final String USER_AGENT = "pierdat/" + PierdatVersion.get();

  private final HttpClient client;
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
  HttpTransfer(HttpClient client, URI source, String authorization, FetchTarget target, FetchContext context) {
    this.client = client;
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
      Exchange exchange = new Exchange();
      HttpResponse<Long> response = send(request(uri, position, sendAuth), exchange, position);
      int status = response.statusCode();
      if (exchange.delivered) {
        long end = target.position();
        if (exchange.expectedEnd >= 0 && end != exchange.expectedEnd) {
          throw new FetchException("the connection to " + Origin.of(uri).hostPort() + " closed after byte "
              + end + " of " + exchange.expectedEnd, true, null);
        }
        if (status == 206 && exchange.total >= 0 && end < exchange.total && end > position) {
          // The server sent a shorter range than asked for; ask for the rest.
          uri = source;
          redirects = 0;
          continue;
        }
        return;
      }
      if (isRedirect(status)) {
        uri = redirect(uri, response.headers(), ++redirects);
        continue;
      }
      if (status == 416 && position > 0) {
        // What we have is not a prefix of what the server has: start over without a range.
        context.log().debug("[pierdat] " + Sources.redact(uri) + ": range from byte " + position
            + " not satisfiable (HTTP 416); fetching from the start");
        target.reset();
        continue;
      }
      if (exchange.wrongRange != null) {
        target.reset();
        throw new FetchException(Sources.redact(uri) + " answered a request for bytes " + position
            + "- with Content-Range '" + exchange.wrongRange + "'; fetching from the start", true, null);
      }
      throw statusFailure(status, uri, sendAuth, response.headers());
    }
  }

  private HttpRequest request(URI uri, long position, boolean sendAuth) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET()
        .header("User-Agent", USER_AGENT)
        .header("Accept-Encoding", "identity");
    if (position > 0) {
      builder.header("Range", "bytes=" + position + "-");
      if (validator != null) {
        builder.header("If-Range", validator);
      }
    }
    if (sendAuth) {
      builder.header("Authorization", authorization);
    }
    return builder.build();
  }

  /** Sends and waits, aborting when no byte arrived for the read timeout. */
  private HttpResponse<Long> send(HttpRequest request, Exchange exchange, long position)
      throws FetchException, IOException {
    CompletableFuture<HttpResponse<Long>> future =
        client.sendAsync(request, info -> handle(info, exchange, position));
    long readNanos = context.readTimeout().toNanos();
    long connectNanos = context.connectTimeout().toNanos();
    long pollNanos = Math.max(readNanos / 4, TimeUnit.MILLISECONDS.toNanos(10));
    try {
      while (true) {
        // Before the headers, connecting (with its own timeout) and the server's think time both count.
        long limit = exchange.hasHeaders() ? readNanos : connectNanos + readNanos;
        long wait = limit - exchange.idleNanos();
        if (wait <= 0) {
          exchange.abort();
          future.cancel(true);
          throw new FetchException("no data from " + Sources.redact(request.uri()) + " for "
              + Units.duration(context.readTimeout()) + " (read timeout) at byte " + target.position(), true, null);
        }
        try {
          // Wake up now and then: the limit shrinks once the headers are in.
          return future.get(Math.min(wait, pollNanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          // Loop: the body may still be flowing; the idle time decides.
        }
      }
    } catch (ExecutionException e) {
      exchange.abort();
      throw failure(e.getCause(), request.uri());
    } catch (InterruptedException e) {
      exchange.abort();
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching " + Sources.redact(request.uri()));
    }
  }

  /** Runs on the client's thread when the headers arrive: decides where the body goes. */
  private BodySubscriber<Long> handle(HttpResponse.ResponseInfo info, Exchange exchange, long position) {
    exchange.headersSeen();
    int status = info.statusCode();
    HttpHeaders headers = info.headers();
    if (status == 200) {
      long length = headers.firstValueAsLong("Content-Length").orElse(-1);
      remember(headers);
      exchange.expectedEnd = length;
      exchange.total = length;
      target.expectSize(length);
      return exchange.deliverTo(new TargetSubscriber(target, exchange, position > 0));
    }
    if (status == 206) {
      String value = headers.firstValue("Content-Range").orElse("");
      Matcher range = CONTENT_RANGE.matcher(value.trim());
      if (range.matches() && Long.parseLong(range.group(1)) == position) {
        long end = Long.parseLong(range.group(2)) + 1;
        long total = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
        remember(headers);
        exchange.expectedEnd = end;
        exchange.total = total;
        target.expectSize(total >= 0 ? total : end);
        return exchange.deliverTo(new TargetSubscriber(target, exchange, false));
      }
      exchange.wrongRange = value;
      return BodySubscribers.replacing(-1L);
    }
    // Redirects and errors: the body is small and not wanted.
    return BodySubscribers.replacing(-1L);
  }

  /** Keeps a strong validator, so later range requests only append to the same version of the file. */
  private void remember(HttpHeaders headers) {
    Optional<String> etag = headers.firstValue("ETag").filter(e -> !e.startsWith("W/"));
    validator = etag.or(() -> headers.firstValue("Last-Modified")).orElse(null);
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private URI redirect(URI from, HttpHeaders headers, int redirects) throws FetchException {
    if (redirects > MAX_REDIRECTS) {
      throw new FetchException("more than " + MAX_REDIRECTS + " redirects, the last to " + Sources.redact(from));
    }
    String location = headers.firstValue("Location")
        .orElseThrow(() -> new FetchException("redirect from " + Sources.redact(from) + " has no Location header"));
    URI next;
    try {
      next = from.resolve(new URI(location));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new FetchException("redirect from " + Sources.redact(from) + " to an invalid URL '"
          + Sources.redact(location) + "'");
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
      throw new FetchException("redirect from " + Sources.redact(from) + " to " + Sources.redact(next)
          + ", which is not an http(s) URL");
    }
    if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
      throw new FetchException("refusing the redirect from " + Sources.redact(from) + " to plain http "
          + Sources.redact(next) + " (a downgrade from https)");
    }
    URI stripped = HttpBackend.withoutUserInfo(next);
    context.log().debug("[pierdat] " + Sources.redact(from) + " redirects to " + stripped);
    return stripped;
  }

  private FetchException statusFailure(int status, URI uri, boolean sentAuth, HttpHeaders headers) {
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
      retryAfter = headers.firstValue("Retry-After").flatMap(HttpTransfer::parseRetryAfter).orElse(null);
      return new FetchException("server error (HTTP " + status + ")" + at, true, null);
    }
    return new FetchException("unexpected HTTP status " + status + at);
  }

  private FetchException failure(Throwable error, URI uri) throws IOException {
    String hostPort = Origin.of(uri).hostPort();
    TargetWriteException local = find(error, TargetWriteException.class);
    if (local != null) {
      throw local.local();
    }
    if (find(error, HttpConnectTimeoutException.class) != null) {
      return new FetchException("connecting to " + hostPort + " timed out after "
          + Units.duration(context.connectTimeout()), true, error);
    }
    if (find(error, UnresolvedAddressException.class) != null || find(error, UnknownHostException.class) != null) {
      return new FetchException("unknown host " + Origin.of(uri).host() + " (in " + Sources.redact(uri) + ")",
          false, error);
    }
    SSLHandshakeException tls = find(error, SSLHandshakeException.class);
    if (tls != null) {
      return new FetchException("TLS failure with " + hostPort + ": " + tls.getMessage()
          + " (certificates are always verified; add the server's CA to the JVM trust store)", false, error);
    }
    if (find(error, ConnectException.class) != null) {
      return new FetchException("cannot connect to " + hostPort + ": " + describe(error), true, error);
    }
    if (find(error, HttpTimeoutException.class) != null) {
      return new FetchException("timed out waiting for " + hostPort, true, error);
    }
    if (error instanceof IOException) {
      return new FetchException("connection to " + hostPort + " failed at byte " + target.position() + ": "
          + describe(error), true, error);
    }
    return new FetchException("fetching " + Sources.redact(uri) + " failed: " + describe(error), false, error);
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
