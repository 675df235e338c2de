package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.Credentials;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** HTTP for the IPFS backend: one client per fetch, with the context's timeouts, proxy and proxy credentials. */
final class HttpTransport {

  private final HttpClient client;
  private final FetchContext context;

  HttpTransport(FetchContext context) {
    this.context = context;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(context.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL);
    if (context.proxySelector() != null) {
      builder.proxy(context.proxySelector());
    }
    context.proxyCredentials().ifPresent(c -> builder.authenticator(new ProxyOnly(c)));
    this.client = builder.build();
  }

  /** A response whose body fails after the read timeout without data. Close it. */
  record Response(int status, HttpHeaders headers, InputStream body) implements AutoCloseable {

    String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /** A request builder for {@code uri} with the endpoint's Basic auth, if any. */
  HttpRequest.Builder request(java.net.URI uri, Credentials credentials) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(context.readTimeout());
    if (credentials != null) {
      String token = credentials.username() + ":" + credentials.password();
      builder.header("Authorization",
          "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
    }
    return builder;
  }

  /**
   * Sends {@code request}; {@code what} names it in errors (without credentials).
   *
   * @throws FetchException (retryable) when the connection fails or times out
   */
  Response send(HttpRequest request, String what) throws FetchException {
    TimedBodyStream body = new TimedBodyStream(context.readTimeout(), what);
    try {
      HttpResponse<java.util.concurrent.Flow.Publisher<java.util.List<java.nio.ByteBuffer>>> response =
          client.send(request, HttpResponse.BodyHandlers.ofPublisher());
      response.body().subscribe(body);
      return new Response(response.statusCode(), response.headers(), body);
    } catch (HttpTimeoutException e) {
      throw new FetchException(what + ": no response within " + context.readTimeout().toSeconds() + " s", true, e);
    } catch (IOException e) {
      throw new FetchException(what + ": " + describe(e), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException(what + ": interrupted", false, e);
    }
  }

  /** A failure for a non-2xx response, with the start of its body; 5xx, 408 and 429 are retryable. */
  static FetchException statusError(Response response, String what) {
    String detail;
    try {
      byte[] head = response.body().readNBytes(300);
      detail = new String(head, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
    } catch (IOException e) {
      detail = "";
    }
    int status = response.status();
    boolean retryable = status >= 500 || status == 408 || status == 429;
    return new FetchException(what + ": HTTP " + status + (detail.isEmpty() ? "" : " (" + detail + ")"),
        retryable, null);
  }

  /** An exception as a short phrase: its class when the message is empty (e.g. ConnectException). */
  static String describe(Throwable e) {
    if (e instanceof java.net.ConnectException && (e.getMessage() == null || e.getMessage().isBlank())) {
      return "cannot connect (refused or unreachable)";
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static final class ProxyOnly extends Authenticator {
    private final Credentials credentials;

    ProxyOnly(Credentials credentials) {
      this.credentials = credentials;
    }

    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
      if (getRequestorType() != RequestorType.PROXY) {
        return null;
      }
      return new PasswordAuthentication(credentials.username(), credentials.password().toCharArray());
    }
  }
}
