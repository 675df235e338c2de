package io.github.pierdat.backend.ipfs.node;

import io.github.pierdat.backend.Credentials;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.CidFormatException;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import io.github.pierdat.json.Json;
import io.github.pierdat.json.JsonException;
import io.github.pierdat.manifest.Sources;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The few calls of a Kubo-compatible RPC API ({@code /api/v0/*}) that seeding into an IPFS node needs:
 * {@code id}, {@code add} (streaming the file as multipart, never buffering it) and {@code pin/ls}.
 * Works with kubo and js-ipfs. Credentials in the URL's user info go out as HTTP Basic auth and never
 * appear in messages.
 */
public final class KuboApi {

  private final URI base;
  private final String display;
  private final String authorization;
  private final HttpClient client;
  private final Duration timeout;

  private KuboApi(URI base, String authorization, Duration timeout) {
    this.base = base;
    this.display = base.toString();
    this.authorization = authorization;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
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
    return member(call("id", HttpRequest.BodyPublishers.noBody(), timeout), "ID", "id") instanceof String id ? id : "";
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
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
          HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail));
    } catch (FileNotFoundException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String query = "pin=true&progress=false&quieter=true&wrap-with-directory=false&trickle=false"
        + "&hash=sha2-256&chunker=size-" + importer.chunkSize()
        + "&cid-version=" + importer.cidVersion()
        + "&raw-leaves=" + importer.rawLeaves();
    String answer = callMultipart("add?" + query, body, boundary);
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
    HttpResponse<String> response = send(request("pin/ls?type=recursive&arg=" + cid, timeout)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), "pin/ls");
    if (response.statusCode() == 200) {
      return member(response.body(), "Keys", "pin/ls") instanceof Map<?, ?> keys
          && (keys.containsKey(cid.toString()) || keys.containsKey(cid.toV1().toString()));
    }
    if (response.body().contains("not pinned")) {
      return false;
    }
    throw failure("pin/ls", response);
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

  private String call(String path, HttpRequest.BodyPublisher body, Duration callTimeout) throws IOException {
    HttpResponse<String> response = send(request(path, callTimeout).POST(body).build(), path);
    if (response.statusCode() != 200) {
      throw failure(path, response);
    }
    return response.body();
  }

  private String callMultipart(String path, HttpRequest.BodyPublisher body, String boundary) throws IOException {
    String name = path.substring(0, path.indexOf('?'));
    // No overall timeout: adding a large file takes as long as it takes; the connect timeout still applies.
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + "/api/v0/" + path))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(body);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    HttpRequest request = builder.build();
    HttpResponse<String> response = send(request, name);
    if (response.statusCode() != 200) {
      throw failure(name, response);
    }
    return response.body();
  }

  private HttpRequest.Builder request(String path, Duration callTimeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + "/api/v0/" + path)).timeout(callTimeout);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest request, String what) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
      throw new IOException("IPFS API " + display + " " + what + ": cannot reach the node (" + why + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted during IPFS API " + what);
    }
  }

  private IOException failure(String what, HttpResponse<String> response) {
    return new IOException("IPFS API " + display + " " + what + ": HTTP " + response.statusCode() + " ("
        + abbreviate(response.body()) + ")");
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
