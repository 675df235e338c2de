package io.github.pierdat.backend.http;

import io.github.pierdat.PierdatVersion;
import io.github.pierdat.backend.Credentials;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.manifest.Sources;
import java.io.IOException;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * Opens one configured, not yet connected HTTP/1.1 request for any backend that speaks HTTP (the HTTP and
 * IPFS backends): the context's proxy, proxy credentials and timeouts, pierdat's User-Agent, no automatic
 * redirects (follow them with {@link #redirect}, sending credentials to their own origin only), no caches,
 * the given TLS context (verification always on).
 *
 * <p>Blocking {@link HttpURLConnection} rather than the JDK's asynchronous HttpClient: reading a large
 * body straight into a big array is several times faster on a fast link than the client's 16 KiB
 * chunks handed between threads, and the socket's read timeout is exactly the idle timeout a transfer needs
 * (a read that waits longer throws {@link java.net.SocketTimeoutException}).
 */
public final class HttpConnector {

  /** Redirects followed for one request before giving up. */
  public static final int MAX_REDIRECTS = 10;
  /** The User-Agent of every request. */
  public static final String USER_AGENT = "pierdat/" + PierdatVersion.get();

  private static final Authenticator NO_SERVER_CREDENTIALS = new ProxyAuthenticator(null);

  private final FetchContext context;
  private final SSLContext sslContext;
  private final Authenticator authenticator;

  /**
   * @param context the proxy, proxy credentials and timeouts to use
   * @param sslContext the TLS context for https, or null for the JVM's default trust store
   */
  public HttpConnector(FetchContext context, SSLContext sslContext) {
    this.context = context;
    this.sslContext = sslContext;
    this.authenticator = context.proxyCredentials().<Authenticator>map(ProxyAuthenticator::new)
        .orElse(NO_SERVER_CREDENTIALS);
  }

  /** A request to {@code uri}, not yet connected: set the method and headers, then connect. */
  public HttpURLConnection open(URI uri) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(proxy(uri));
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setConnectTimeout(millis(context.connectTimeout().toMillis()));
    connection.setReadTimeout(millis(context.readTimeout().toMillis()));
    connection.setRequestProperty("User-Agent", USER_AGENT);
    // Never the JVM-wide default authenticator: server credentials go preemptively to their origin only.
    connection.setAuthenticator(authenticator);
    if (sslContext != null && connection instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(sslContext.getSocketFactory());
    }
    return connection;
  }

  /** Whether {@code status} is a redirect this connector's users follow (301, 302, 303, 307, 308). */
  public static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** Whether {@code a} and {@code b} have the same scheme, host and port (credentials stay within one). */
  public static boolean sameOrigin(URI a, URI b) {
    return Origin.of(a).equals(Origin.of(b));
  }

  /**
   * Where the {@code redirects}-th redirect in a row, from {@code from} to {@code location}, leads: the
   * location resolved against {@code from}, without user info.
   *
   * @throws FetchException (not retryable) past {@link #MAX_REDIRECTS}, without a location, to a URL that is
   *     not http(s), or from https down to plain http
   */
  public static URI redirect(URI from, String location, int redirects) throws FetchException {
    if (redirects > MAX_REDIRECTS) {
      throw new FetchException("more than " + MAX_REDIRECTS + " redirects, the last to " + Sources.redact(from));
    }
    if (location == null) {
      throw new FetchException("redirect from " + Sources.redact(from) + " has no Location header");
    }
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
    return HttpBackend.withoutUserInfo(next);
  }

  private Proxy proxy(URI uri) {
    ProxySelector selector = context.proxySelector();
    if (selector == null) {
      return Proxy.NO_PROXY;
    }
    List<Proxy> proxies = selector.select(uri);
    return proxies == null || proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
  }

  private static int millis(long value) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, value));
  }

  /** Answers proxy challenges only: server credentials are sent preemptively, to their origin alone. */
  private static final class ProxyAuthenticator extends Authenticator {
    private final Credentials credentials;

    ProxyAuthenticator(Credentials credentials) {
      this.credentials = credentials;
    }

    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
      if (credentials == null || getRequestorType() != RequestorType.PROXY) {
        return null;
      }
      return new PasswordAuthentication(credentials.username(), credentials.password().toCharArray());
    }
  }
}
