package io.github.pierdat.backend.ipfs.node;

import io.github.pierdat.backend.Credentials;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.http.HttpConnector;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.CidFormatException;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import io.github.pierdat.json.Json;
import io.github.pierdat.json.JsonException;
import io.github.pierdat.manifest.Sources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The few calls of a Kubo-compatible RPC API ({@code /api/v0/*}) that seeding into an IPFS node needs:
 * {@code id}, {@code add} (streaming the file as multipart, never buffering it) and {@code pin/ls}.
 * Works with kubo and js-ipfs. Credentials in the URL's user info go out as HTTP Basic auth and never
 * appear in messages. Blocking requests through the {@link HttpConnector} the other HTTP code uses, always
 * direct (no proxy), redirects not followed.
 */
public final class KuboApi {

  /** The node is local or named explicitly: never a JVM-wide proxy (as the JDK HttpClient did by default). */
  private static final ProxySelector DIRECT = new ProxySelector() {
    @Override
    public List<Proxy> select(URI uri) {
      return List.of(Proxy.NO_PROXY);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {}
  };

  private final URI base;
  private final String display;
  private final String authorization;
  private final HttpConnector connector;

  private KuboApi(URI base, String authorization, Duration timeout) {
    this.base = base;
    this.display = base.toString();
    this.authorization = authorization;
    this.connector = new HttpConnector(FetchContext.builder().connectTimeout(Duration.ofSeconds(10))
        .readTimeout(timeout).proxySelector(DIRECT).build(), null);
  }

  /**
   * The API at {@code url}, e.g. {@code http://127.0.0.1:5001}; {@code timeout} bounds the short calls
   * ({@code id}, {@code pin/ls}), not {@code add}.
   *
   * @throws IllegalArgumentException when {@code url} is not an http(s) URL with a host (the message omits
   *     any credentials)
   */
  public static KuboApi of(String url, Duration timeout) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("IPFS API URL '" + Sources.redact(url) + "' is malformed: " + e.getReason()
          + "; expected e.g. http://127.0.0.1:5001");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException("IPFS API URL '" + Sources.redact(uri) + "' is not an http(s) URL with a"
          + " host; expected e.g. http://127.0.0.1:5001");
    }
    String authorization = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      Credentials c = new Credentials(
          URLDecoder.decode(colon < 0 ? userInfo : userInfo.substring(0, colon), StandardCharsets.UTF_8),
          colon < 0 ? "" : URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
      authorization = "Basic " + Base64.getEncoder().encodeToString(
          (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    String authority = uri.getRawAuthority().substring(userInfo == null ? 0 : userInfo.length() + 1);
    return new KuboApi(URI.create(scheme + "://" + authority + path), authorization, timeout);
  }

  /** The base URL, without credentials: how the API is named in logs. */
  @Override
  public String toString() {
    return display;
  }

  /**
   * The node's peer ID ({@code POST /api/v0/id}): a cheap check that the node is up.
   *
   * @throws IOException when the node cannot be reached or answers with an error
   */
  public String id() throws IOException {
    Answer answer = post("id", null);
    if (answer.status() != 200) {
      throw failure("id", answer);
    }
    return member(answer.body(), "ID", "id") instanceof String id ? id : "";
  }

  /**
   * Adds {@code file} and pins it, with the import parameters of {@code importer} ({@code chunker},
   * {@code cid-version}, {@code raw-leaves}; balanced layout, sha2-256), streaming the file as the request
   * body. Returns the CID the node computed.
   *
   * @throws IOException when the file cannot be read or the node refuses or fails
   */
  public Cid add(Path file, UnixFsImporter importer) throws IOException {
    if (importer.maxLinks() != UnixFsImporter.DEFAULT_MAX_LINKS) {
      throw new IllegalArgumentException("the RPC API cannot be asked for " + importer.maxLinks()
          + " links per node; only kubo's default " + UnixFsImporter.DEFAULT_MAX_LINKS);
    }
    String boundary = "pierdat-" + UUID.randomUUID();
    byte[] head = ("--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"" + safeName(file) + "\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String query = "pin=true&progress=false&quieter=true&wrap-with-directory=false&trickle=false"
        + "&hash=sha2-256&chunker=size-" + importer.chunkSize()
        + "&cid-version=" + importer.cidVersion()
        + "&raw-leaves=" + importer.rawLeaves();
    Answer added = post("add?" + query, new Multipart(boundary, head, file, size, tail));
    if (added.status() != 200) {
      throw failure("add", added);
    }
    String answer = added.body();
    // One JSON object per line; the file's is the last with a Hash.
    String hash = null;
    for (String line : answer.split("\n")) {
      if (!line.isBlank()) {
        if (member(line, "Hash", "add") instanceof String h) {
          hash = h;
        }
      }
    }
    if (hash == null) {
      throw new IOException("IPFS API " + display + " add: the answer names no CID: " + abbreviate(answer));
    }
    try {
      return Cid.parse(hash);
    } catch (CidFormatException e) {
      throw new IOException("IPFS API " + display + " add: the answer's CID '" + hash + "' is malformed: "
          + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code cid} is pinned recursively ({@code POST /api/v0/pin/ls?arg=<cid>&type=recursive}).
   *
   * @throws IOException when the node cannot be reached or fails otherwise
   */
  public boolean pinned(Cid cid) throws IOException {
    Answer answer = post("pin/ls?type=recursive&arg=" + cid, null);
    if (answer.status() == 200) {
      return member(answer.body(), "Keys", "pin/ls") instanceof Map<?, ?> keys
          && (keys.containsKey(cid.toString()) || keys.containsKey(cid.toV1().toString()));
    }
    if (answer.body().contains("not pinned")) {
      return false;
    }
    throw failure("pin/ls", answer);
  }

  /** A member of the JSON object {@code answer}, or null if absent or if the answer is another value. */
  private Object member(String answer, String name, String call) throws IOException {
    Object json;
    try {
      json = Json.parse(answer);
    } catch (JsonException e) {
      throw new IOException("IPFS API " + display + " " + call + ": the answer is not JSON (" + e.getMessage()
          + "): " + abbreviate(answer), e);
    }
    return json instanceof Map<?, ?> object ? object.get(name) : null;
  }

  /** A multipart/form-data body of one file field, streamed with a known length. */
  private record Multipart(String boundary, byte[] head, Path file, long size, byte[] tail) {

    long length() {
      return head.length + size + tail.length;
    }

    void writeTo(OutputStream out) throws IOException {
      out.write(head);
      try (InputStream in = Files.newInputStream(file)) {
        if (in.transferTo(out) != size) {
          throw new FileChanged(file + " changed size while it was being sent");
        }
      }
      out.write(tail);
    }
  }

  /** The file being added is not the size it had when the request began: the local side's fault. */
  private static final class FileChanged extends IOException {
    private static final long serialVersionUID = 1L;

    FileChanged(String message) {
      super(message);
    }
  }

  /** An answer: its status and body (the error body for 4xx and 5xx). */
  private record Answer(int status, String body) {}

  /**
   * {@code POST /api/v0/<path>} with an empty body or {@code multipart}; a multipart upload has no read
   * timeout (adding a large file takes as long as it takes), the short calls the API's timeout.
   */
  private Answer post(String path, Multipart multipart) throws IOException {
    String what = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    HttpURLConnection connection = connector.open(URI.create(base + "/api/v0/" + path));
    try {
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      if (authorization != null) {
        connection.setRequestProperty("Authorization", authorization);
      }
      if (multipart == null) {
        connection.setFixedLengthStreamingMode(0);
      } else {
        connection.setReadTimeout(0);
        connection.setRequestProperty("Content-Type", "multipart/form-data; boundary=" + multipart.boundary());
        connection.setFixedLengthStreamingMode(multipart.length());
      }
      try (OutputStream out = connection.getOutputStream()) {
        if (multipart != null) {
          multipart.writeTo(out);
        }
      }
      int status = connection.getResponseCode();
      InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      String text = body == null ? "" : readAll(body);
      return new Answer(status, text);
    } catch (java.io.InterruptedIOException | FileChanged e) {
      throw e;
    } catch (IOException e) {
      String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
      throw new IOException("IPFS API " + display + " " + what + ": cannot reach the node (" + why + ")", e);
    } finally {
      connection.disconnect();
    }
  }

  private static String readAll(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private IOException failure(String what, Answer answer) {
    return new IOException("IPFS API " + display + " " + what + ": HTTP " + answer.status() + " ("
        + abbreviate(answer.body()) + ")");
  }

  private static String abbreviate(String text) {
    String t = text.strip().replaceAll("\\s+", " ");
    return t.length() > 300 ? t.substring(0, 300) + "…" : t;
  }

  /** The file name as the form field's filename: no quotes or controls (the node ignores it anyway). */
  private static String safeName(Path file) {
    Path name = file.getFileName();
    return name == null ? "file" : name.toString().replaceAll("[\"\\\\\\p{Cntrl}]", "_");
  }
}
