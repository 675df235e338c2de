package io.github.pierdat.backend.http;

import io.github.pierdat.backend.Credentials;
import io.github.pierdat.backend.FetchContext;
import java.io.IOException;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * Opens one configured, not yet connected HTTP/1.1 request: the context's proxy and timeouts, no automatic
 * redirects, no caches, the given TLS context (verification always on).
 *
 * <p>Blocking {@link HttpURLConnection} rather than the JDK's asynchronous HttpClient: reading a large
 * body straight into a big array is several times faster on a fast link than the client's 16 KiB
 * chunks handed between threads, and the socket's read timeout is exactly the idle timeout a transfer needs.
 */
final class HttpConnector {

  private static final Authenticator NO_SERVER_CREDENTIALS = new ProxyAuthenticator(null);

  private final FetchContext context;
  private final SSLContext sslContext;
  private final Authenticator authenticator;

  HttpConnector(FetchContext context, SSLContext sslContext) {
    this.context = context;
    this.sslContext = sslContext;
    this.authenticator = context.proxyCredentials().<Authenticator>map(ProxyAuthenticator::new)
        .orElse(NO_SERVER_CREDENTIALS);
  }

  HttpURLConnection open(URI uri) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(proxy(uri));
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setConnectTimeout(millis(context.connectTimeout().toMillis()));
    connection.setReadTimeout(millis(context.readTimeout().toMillis()));
    // Never the JVM-wide default authenticator: server credentials go preemptively to their origin only.
    connection.setAuthenticator(authenticator);
    if (sslContext != null && connection instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(sslContext.getSocketFactory());
    }
    return connection;
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
