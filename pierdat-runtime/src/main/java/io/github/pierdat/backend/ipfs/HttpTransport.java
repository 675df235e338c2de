package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.Credentials;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.http.HttpConnector;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP for the IPFS backend: blocking requests through the HTTP backend's {@link HttpConnector} (the
 * context's proxy, proxy credentials and timeouts), redirects followed by hand, an endpoint's Basic auth
 * sent to the endpoint's own origin only, and bodies that fail after the read timeout without data.
 */
final class HttpTransport {

  private final HttpConnector connector;
  private final FetchContext context;

  HttpTransport(FetchContext context) {
    this.connector = new HttpConnector(context, null);
    this.context = context;
  }

  /** A response; close it (a body not read to its end closes the connection rather than pooling it). */
  record Response(int status, String contentType, InputStream body) implements AutoCloseable {

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /**
   * {@code GET uri} with {@code Accept: accept}; {@code what} names the request in errors (without credentials).
   *
   * @throws FetchException (retryable) when the connection fails or times out
   */
  Response get(URI uri, Credentials credentials, String accept, String what) throws FetchException {
    return send("GET", uri, credentials, accept, what);
  }

  /** {@code POST uri} with an empty body, as Kubo's RPC API wants; otherwise like {@link #get}. */
  Response post(URI uri, Credentials credentials, String what) throws FetchException {
    return send("POST", uri, credentials, null, what);
  }

  private Response send(String method, URI uri, Credentials credentials, String accept, String what)
      throws FetchException {
    String authorization = credentials == null ? null : basic(credentials);
    URI current = uri;
    for (int redirects = 0; ; ) {
      HttpURLConnection connection = open(current, what);
      boolean handedOver = false;
      try {
        connection.setRequestMethod(method);
        connection.setRequestProperty("Accept-Encoding", "identity");
        if (accept != null) {
          connection.setRequestProperty("Accept", accept);
        }
        if (authorization != null && HttpConnector.sameOrigin(current, uri)) {
          connection.setRequestProperty("Authorization", authorization);
        }
        if (method.equals("POST")) {
          connection.setDoOutput(true);
          connection.setFixedLengthStreamingMode(0);
        }
        connect(connection, what);
        if (method.equals("POST")) {
          connection.getOutputStream().close();
        }
        int status = responseCode(connection, what);
        if (HttpConnector.isRedirect(status)) {
          String location = connection.getHeaderField("Location");
          discard(connection);
          handedOver = true;
          current = HttpConnector.redirect(current, location, ++redirects);
          if (status == 303) {
            method = "GET";
          }
          continue;
        }
        InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String type = connection.getContentType();
        Response response = new Response(status, type == null ? "" : type,
            new Body(body == null ? InputStream.nullInputStream() : body, connection, what));
        handedOver = true;
        return response;
      } catch (SocketTimeoutException e) {
        throw new FetchException(what + ": no response within " + context.readTimeout().toSeconds()
            + " s (read timeout)", true, e);
      } catch (IOException e) {
        throw new FetchException(what + ": " + describe(e), true, e);
      } finally {
        if (!handedOver) {
          connection.disconnect();
        }
      }
    }
  }

  private HttpURLConnection open(URI uri, String what) throws FetchException {
    try {
      return connector.open(uri);
    } catch (IOException | IllegalArgumentException e) {
      throw new FetchException(what + ": " + describe(e), false, e);
    }
  }

  private void connect(HttpURLConnection connection, String what) throws IOException, FetchException {
    try {
      connection.connect();
    } catch (SocketTimeoutException e) {
      throw new FetchException(what + ": connecting timed out after " + context.connectTimeout().toSeconds()
          + " s", true, e);
    }
  }

  private static int responseCode(HttpURLConnection connection, String what) throws IOException, FetchException {
    int status = connection.getResponseCode();
    if (status < 0) {
      throw new FetchException(what + ": the answer is not HTTP", true, null);
    }
    return status;
  }

  /** Reads away a small redirect body so the connection can be reused; closes it on failure. */
  private static void discard(HttpURLConnection connection) {
    try (InputStream error = connection.getErrorStream()) {
      if (error != null) {
        error.transferTo(OutputStream.nullOutputStream());
      }
    } catch (IOException e) {
      connection.disconnect();
    }
  }

  private static String basic(Credentials credentials) {
    String token = credentials.username() + ":" + credentials.password();
    return "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
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

  /**
   * A response body whose idle timeout (the socket's read timeout) fails with a message naming the request,
   * and whose close drops the connection unless the body was read to its end.
   */
  private final class Body extends FilterInputStream {
    private final HttpURLConnection connection;
    private final String what;
    private boolean ended;

    Body(InputStream in, HttpURLConnection connection, String what) {
      super(in);
      this.connection = connection;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        ended |= b < 0;
        return b;
      } catch (SocketTimeoutException e) {
        throw timeout(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = super.read(b, off, len);
        ended |= n < 0;
        return n;
      } catch (SocketTimeoutException e) {
        throw timeout(e);
      }
    }

    private SocketTimeoutException timeout(SocketTimeoutException cause) {
      SocketTimeoutException e = new SocketTimeoutException("no data from " + what + " for "
          + context.readTimeout().toSeconds() + " s (read timeout)");
      e.initCause(cause);
      return e;
    }

    @Override
    public void close() throws IOException {
      if (ended) {
        super.close();
      } else {
        // Draining an abandoned body could take as long as the rest of the transfer.
        connection.disconnect();
      }
    }
  }
}
