package io.github.pierdat.backend.http;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.Credentials;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.backend.Seeder;
import io.github.pierdat.backend.http.server.HttpSeeder;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.manifest.Sources;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Fetches {@code http:} and {@code https:} sources (blocking JDK HTTP/1.1, see {@link HttpConnector}), and tells the agent
 * to serve each artifact over HTTP at {@code /artifacts/<sha256>}.
 *
 * <ul>
 *   <li>Retries connection failures, resets, read timeouts and 5xx (also 408 and 429) up to
 *       {@link FetchContext#maxAttempts()} times with exponential backoff and jitter, honouring a short
 *       Retry-After. Each retry resumes with {@code Range}, guarded by {@code If-Range}; a target that already
 *       holds bytes (a download interrupted in an earlier process) is resumed from the first request.
 *       Other 4xx are not retried.
 *   <li>Follows up to 10 redirects itself, so that credentials are only ever sent to the source's own origin
 *       (scheme, host and port); refuses a redirect from https to http.
 *   <li>Credentials: {@link FetchContext#credentials()}, or the user info of the URL
 *       ({@code https://user:token@host/...}), sent preemptively as HTTP Basic to the source's origin and
 *       never shown in messages.
 *   <li>TLS is always verified; there is no option to turn that off.
 *   <li>Proxies come from {@link FetchContext#proxySelector()}, with {@link FetchContext#proxyCredentials()}
 *       answered for proxy challenges only. Note that the JDK refuses Basic authentication when tunnelling
 *       https through a proxy unless the system property {@code jdk.http.auth.tunneling.disabledSchemes}
 *       is set to an empty string before the first request.
 *   <li>A transfer that receives no byte for {@link FetchContext#readTimeout()} is aborted and retried.
 * </ul>
 */
public final class HttpBackend implements Backend {

  /** Where the agent's HTTP seeder serves an artifact: this prefix plus its sha256. */
  public static final String SEED_PATH_PREFIX = "/artifacts/";

  private final SSLContext sslContext;

  /** For {@link java.util.ServiceLoader}: the JVM's default trust store. */
  public HttpBackend() {
    this(null);
  }

  /** With a specific TLS context (e.g. a private CA's trust store); verification stays on. */
  public HttpBackend(SSLContext sslContext) {
    this.sslContext = sslContext;
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("http", "https");
  }

  @Override
  public boolean accepts(URI source) {
    String scheme = source.getScheme() == null ? "" : source.getScheme().toLowerCase(Locale.ROOT);
    return (scheme.equals("http") || scheme.equals("https")) && source.getHost() != null;
  }

  @Override
  public void fetch(URI source, FetchTarget target, FetchContext context) throws FetchException, IOException {
    if (!accepts(source)) {
      throw new FetchException("not an http(s) URL with a host: " + Sources.redact(source));
    }
    Optional<Credentials> credentials = userInfoCredentials(source).or(context::credentials);
    String authorization = credentials.map(HttpBackend::basic).orElse(null);
    new HttpTransfer(new HttpConnector(context, sslContext), withoutUserInfo(source), authorization, target, context).run();
  }

  @Override
  public Optional<SeedEntry> seedSpec(ArtifactEntry artifact, Path file) {
    return Optional.of(new SeedEntry(name(), Map.of("path", SEED_PATH_PREFIX + artifact.sha256())));
  }

  /** The seed side: one HTTP server for every artifact with an {@code http} seed entry. */
  @Override
  public Optional<Seeder> seeder(List<SeededArtifact> artifacts, SeedContext context) {
    return Optional.of(HttpSeeder.builder(artifacts, context).build());
  }

  static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot remove the user info from a URL", e);
    }
  }

  private static Optional<Credentials> userInfoCredentials(URI uri) {
    String userInfo = uri.getUserInfo();
    if (userInfo == null || userInfo.isEmpty()) {
      return Optional.empty();
    }
    int colon = userInfo.indexOf(':');
    return Optional.of(colon < 0 ? new Credentials(userInfo, "")
        : new Credentials(userInfo.substring(0, colon), userInfo.substring(colon + 1)));
  }

  private static String basic(Credentials credentials) {
    String pair = credentials.username() + ":" + credentials.password();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
