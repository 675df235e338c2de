package io.github.pierdat.backend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.Credentials;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.fetch.ArtifactCache;
import io.github.pierdat.fetch.ArtifactFetchException;
import io.github.pierdat.fetch.ArtifactFetcher;
import io.github.pierdat.fetch.ArtifactRequest;
import io.github.pierdat.fetch.FetchedArtifact;
import io.github.pierdat.hash.Sha256;
import io.github.pierdat.testing.RecordingLog;
import io.github.pierdat.testing.TestOrigin;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpBackendCredentialsTest {

  private static final String SECRET = "s3cr3t-Pa55";

  @TempDir Path root;
  private TestOrigin origin;
  private TestOrigin other;
  private ArtifactFetcher fetcher;
  private final RecordingLog log = new RecordingLog();
  private final byte[] data = TestOrigin.randomBytes(1 << 20, 5);
  private final String sha = Sha256.hex(Sha256.newDigest().digest(data));

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start().serve("/model.bin", data);
    other = TestOrigin.start().serve("/model.bin", data);
    fetcher = new ArtifactFetcher(ArtifactCache.at(root), Backends.of(new HttpBackend()));
  }

  @AfterEach
  void stop() throws Exception {
    origin.close();
    other.close();
  }

  private FetchContext.Builder context() {
    return FetchContext.builder().connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5))
        .maxAttempts(2).initialBackoff(Duration.ofMillis(10)).log(log);
  }

  private ArtifactRequest request(URI source) {
    return new ArtifactRequest(null, "/data/model.bin", sha, List.of(source));
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sendsCredentialsPreemptivelyToTheSourceOrigin() throws Exception {
    origin.requireBasic("alice", SECRET);

    FetchedArtifact artifact = fetcher.fetch(request(origin.uri("/model.bin")),
        context().credentials(new Credentials("alice", SECRET)).build());

    assertEquals(sha, Sha256.of(artifact.file()));
    assertEquals(1, origin.requests().size(), "no challenge round trip");
    assertEquals(basic("alice", SECRET), origin.requests().get(0).header("Authorization"));
    assertFalse(log.text().contains(SECRET));
  }

  @Test
  void keepsCredentialsOnSameOriginRedirectButNeverSendsThemToAnotherOrigin() throws Exception {
    origin.redirect("/start", "/hop").redirect("/hop", other.uri("/model.bin").toString());

    FetchedArtifact artifact = fetcher.fetch(request(origin.uri("/start")),
        context().credentials(new Credentials("alice", SECRET)).build());

    assertEquals(sha, Sha256.of(artifact.file()));
    assertEquals(origin.uri("/start").toString(), artifact.servedBy());
    assertEquals(List.of("/start", "/hop"), origin.requests().stream().map(TestOrigin.Request::path).toList());
    assertEquals(basic("alice", SECRET), origin.requests().get(0).header("Authorization"));
    assertEquals(basic("alice", SECRET), origin.requests().get(1).header("Authorization"));
    assertEquals(1, other.requests().size());
    assertNull(other.requests().get(0).header("Authorization"), "credentials leaked to another origin");
  }

  @Test
  void acceptsCredentialsInTheUrlButNeverShowsThem() throws Exception {
    origin.requireBasic("bob", SECRET);
    URI source = URI.create("http://bob:" + SECRET + "@127.0.0.1:" + origin.port() + "/model.bin");

    FetchedArtifact artifact = fetcher.fetch(request(source), context().build());

    assertEquals(basic("bob", SECRET), origin.requests().get(0).header("Authorization"));
    assertEquals(origin.uri("/model.bin").toString(), artifact.servedBy());
    assertFalse(log.text().contains(SECRET), log.text());
    assertFalse(log.text().contains("bob@"), log.text());
  }

  @Test
  void refusedCredentialsAreReportedWithoutTheSecret() {
    origin.requireBasic("bob", "right");
    URI source = URI.create("http://bob:" + SECRET + "@127.0.0.1:" + origin.port() + "/model.bin");

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request(source), context().build()));

    assertEquals(1, origin.requests().size(), "a 401 is not retried");
    assertTrue(e.getMessage().contains("access denied (HTTP 401) at " + origin.uri("/model.bin")
        + ": the credentials sent for 127.0.0.1:" + origin.port() + " were refused"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertFalse(log.text().contains(SECRET), log.text());
  }

  @Test
  void accessDeniedWithoutCredentialsSaysToConfigureAServer() {
    origin.status("/model.bin", 403);

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher.fetch(request(origin.uri("/model.bin")), context().build()));

    assertTrue(e.getMessage().contains("access denied (HTTP 403) at " + origin.uri("/model.bin")
        + ": configure a <serverId> on the artifact and a <server> with that id and credentials in settings.xml"),
        e.getMessage());
  }

  @Test
  void goesThroughTheProxyAnsweringItsChallengeWithTheProxyCredentialsOnly() throws Exception {
    // "other" plays the proxy: it serves the file for requests in absolute form.
    other.requireProxyBasic("proxy-user", SECRET);
    FetchContext context = context()
        .proxySelector(java.net.ProxySelector.of(new java.net.InetSocketAddress("127.0.0.1", other.port())))
        .proxyCredentials(new Credentials("proxy-user", SECRET))
        .build();

    FetchedArtifact artifact = fetcher.fetch(request(origin.uri("/model.bin")), context);

    assertEquals(sha, Sha256.of(artifact.file()));
    assertEquals(0, origin.requests().size(), "the origin is only reached through the proxy");
    List<TestOrigin.Request> proxied = other.requests();
    assertTrue(proxied.stream().allMatch(TestOrigin.Request::viaProxy), proxied.toString());
    assertEquals(2, proxied.size(), "a 407 challenge, then the answer");
    assertNull(proxied.get(0).header("Proxy-Authorization"));
    assertEquals(basic("proxy-user", SECRET), proxied.get(1).header("Proxy-Authorization"));
    assertTrue(proxied.stream().noneMatch(r -> r.header("Authorization") != null), "proxy credentials sent as server credentials");
    assertFalse(log.text().contains(SECRET));
  }
}
