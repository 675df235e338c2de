package io.github.pierdat.fetch;

import static io.github.pierdat.fetch.FetchTesting.MIB;
import static io.github.pierdat.fetch.FetchTesting.backends;
import static io.github.pierdat.fetch.FetchTesting.context;
import static io.github.pierdat.fetch.FetchTesting.request;
import static io.github.pierdat.fetch.FetchTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.Credentials;
import io.github.pierdat.peer.PeerAddress;
import io.github.pierdat.peer.Peers;
import io.github.pierdat.testing.RecordingLog;
import io.github.pierdat.testing.TestOrigin;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers asked before the declared sources: real HTTP servers on loopback as peers and origin. */
class ArtifactFetcherPeersTest {

  @TempDir Path root;
  private final RecordingLog log = new RecordingLog();
  private final byte[] data = TestOrigin.randomBytes(MIB + 777, 7);
  private final String sha = sha256(data);
  private final String peerPath = "/artifacts/" + sha;
  private TestOrigin origin;
  private TestOrigin peer;
  private TestOrigin liar;

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start().serve("/model.bin", data);
    peer = TestOrigin.start().serve(peerPath, data);
    liar = TestOrigin.start().serve(peerPath, TestOrigin.randomBytes(data.length, 8));
  }

  @AfterEach
  void stop() throws Exception {
    origin.close();
    peer.close();
    liar.close();
  }

  private ArtifactFetcher fetcher(String peers) {
    return new ArtifactFetcher(ArtifactCache.at(root), backends(), Peers.of(PeerAddress.parseList(peers)));
  }

  @Test
  void peerIsAskedBeforeTheSourcesAndNamedAsTheSource() throws Exception {
    FetchedArtifact artifact = fetcher("127.0.0.1:" + peer.port())
        .fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertEquals(sha, sha256(artifact.file()));
    assertEquals("peer 127.0.0.1:" + peer.port(), artifact.servedBy());
    assertEquals(List.of(), origin.requests());
    assertEquals(List.of(peerPath), peer.requests().stream().map(TestOrigin.Request::path).toList());
    assertTrue(log.text().contains("INFO [pierdat] model.bin: 1.00 MiB from peer 127.0.0.1:" + peer.port() + " in "),
        log.text());
  }

  @Test
  void lyingPeerIsRejectedLoggedAndTheNextPeerServes() throws Exception {
    FetchedArtifact artifact = fetcher("127.0.0.1:" + liar.port() + ",127.0.0.1:" + peer.port())
        .fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertEquals(sha, sha256(artifact.file()));
    assertEquals("peer 127.0.0.1:" + peer.port(), artifact.servedBy());
    assertEquals(1, artifact.failures().size());
    assertEquals("peer 127.0.0.1:" + liar.port(), artifact.failures().get(0).source());
    assertTrue(log.text().contains("INFO [pierdat] model.bin: source peer 127.0.0.1:" + liar.port()
        + " failed: sha256 mismatch: expected " + sha), log.text());
    assertEquals(List.of(), origin.requests());
  }

  @Test
  void lyingAndDeadPeersFallBackToTheDeclaredSource() throws Exception {
    int dead;
    try (ServerSocket socket = new ServerSocket(0)) {
      dead = socket.getLocalPort();
    }
    long start = System.nanoTime();

    FetchedArtifact artifact = fetcher("127.0.0.1:" + dead + ",127.0.0.1:" + liar.port())
        .fetch(request(sha, origin.uri("/model.bin")), context(log).maxAttempts(4).build());

    assertEquals(sha, sha256(artifact.file()));
    assertEquals(origin.uri("/model.bin").toString(), artifact.servedBy());
    assertEquals(List.of("peer 127.0.0.1:" + dead, "peer 127.0.0.1:" + liar.port()),
        artifact.failures().stream().map(SourceFailure::source).toList());
    assertTrue(log.text().contains("source peer 127.0.0.1:" + dead + " failed: "), log.text());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5,
        "a dead peer is not retried with backoff: " + log.text());
  }

  @Test
  void peersNeverReceiveTheSourcesCredentials() throws Exception {
    origin.requireBasic("user", "secret");

    FetchedArtifact artifact = fetcher("127.0.0.1:" + liar.port())
        .fetch(request(sha, origin.uri("/model.bin")),
            context(log).credentials(new Credentials("user", "secret")).build());

    assertEquals(origin.uri("/model.bin").toString(), artifact.servedBy());
    assertNull(liar.requests().get(0).header("Authorization"));
    assertTrue(origin.requests().stream().anyMatch(r -> r.header("Authorization") != null));
  }

  @Test
  void dnsPeerOfLocalhostServes() throws Exception {
    FetchedArtifact artifact = fetcher("dns:localhost:" + peer.port())
        .fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertEquals(sha, sha256(artifact.file()));
    assertTrue(artifact.servedBy().startsWith("peer ") && artifact.servedBy().endsWith(
        ":" + peer.port() + " (dns:localhost:" + peer.port() + ")"), artifact.servedBy());
    assertEquals(List.of(), origin.requests());
  }

  @Test
  void unpinnedArtifactsAndCacheHitsNeverAskPeers() throws Exception {
    ArtifactFetcher fetcher = fetcher("127.0.0.1:" + peer.port());

    assertThrows(UnpinnedArtifactException.class,
        () -> fetcher.fetch(request(null, origin.uri("/model.bin")), context(log).build()));
    FetchedArtifact cached = fetcher.fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertTrue(cached.fromCache());
    assertEquals(List.of(), peer.requests());
  }

  @Test
  void everyFailedPeerIsListedWhenNothingDelivers() throws Exception {
    origin.status("/model.bin", 404);

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher("127.0.0.1:" + liar.port()).fetch(request(sha, origin.uri("/model.bin")), context(log).build()));

    assertTrue(e.getMessage().contains("  - peer 127.0.0.1:" + liar.port() + ": sha256 mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("  - " + origin.uri("/model.bin") + ": "), e.getMessage());
  }
}
