package io.github.pierdat.fetch;

import static io.github.pierdat.fetch.FetchTesting.MIB;
import static io.github.pierdat.fetch.FetchTesting.context;
import static io.github.pierdat.fetch.FetchTesting.request;
import static io.github.pierdat.fetch.FetchTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import com.sun.net.httpserver.HttpServer;
import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.bittorrent.BitTorrentBackend;
import io.github.pierdat.backend.bittorrent.BitTorrentOptions;
import io.github.pierdat.backend.bittorrent.BitTorrentSeeder;
import io.github.pierdat.backend.bittorrent.metainfo.MagnetLink;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMaker;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.backend.file.FileBackend;
import io.github.pierdat.backend.http.HttpBackend;
import io.github.pierdat.backend.ipfs.IpfsBackend;
import io.github.pierdat.backend.ipfs.IpfsOptions;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.gateway.GatewayResponse;
import io.github.pierdat.backend.ipfs.gateway.TrustlessGateway;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.testing.RecordingLog;
import io.github.pierdat.testing.TestOrigin;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The torrent and CID are computed from the download stream, and come out as a pass over the file gives. */
class SeedSpecsWhileDownloadingTest {

  @TempDir Path root;
  private TestOrigin origin;
  private ArtifactCache cache;
  private final BitTorrentBackend bittorrent = new BitTorrentBackend();
  private final IpfsBackend ipfs = new IpfsBackend();
  private final Backends backends = Backends.of(new FileBackend(), new HttpBackend(), bittorrent, ipfs);
  private final RecordingLog log = new RecordingLog();
  // Over one DAG level would be ~44 MiB; a few chunks and an odd tail cover the stream/file agreement.
  private final byte[] data = TestOrigin.randomBytes(3 * MIB + 12_345, 7);
  private final String sha = sha256(data);

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start().serve("/model.bin", data);
    cache = ArtifactCache.at(root);
  }

  @AfterEach
  void stop() throws Exception {
    origin.close();
  }

  @Test
  void aColdFetchLeavesTheTorrentAndCidInTheCacheEqualToAPassOverTheFile() throws Exception {
    FetchedArtifact artifact = new ArtifactFetcher(cache, backends)
        .fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertRememberedSpecsMatchTheFile(artifact);
  }

  @Test
  void aResumedDownloadStillGivesTheSpecsOfTheWholeFile() throws Exception {
    origin.dropAfter(MIB + 777, false);

    FetchedArtifact artifact = new ArtifactFetcher(cache, backends)
        .fetch(request(sha, origin.uri("/model.bin")), context(log).build());

    assertTrue(origin.requests().stream().anyMatch(r -> r.header("Range") != null), "the download resumed");
    assertRememberedSpecsMatchTheFile(artifact);
  }

  @Test
  void bytesFromASourceThatFailedVerificationNeverReachTheSpecs() throws Exception {
    byte[] wrong = TestOrigin.randomBytes(data.length, 8);
    origin.serve("/wrong.bin", wrong);

    FetchedArtifact artifact = new ArtifactFetcher(cache, backends)
        .fetch(request(sha, origin.uri("/wrong.bin"), origin.uri("/model.bin")), context(log).build());

    assertEquals(origin.uri("/model.bin").toString(), artifact.servedBy());
    assertRememberedSpecsMatchTheFile(artifact);
  }

  @Test
  void aSwarmDownloadWrittenInPlaceIsVerifiedWholeAndGivesTheSpecsOfTheFile() throws Exception {
    // pierdat's own piece length: the torrent's piece hashes are taken instead of a SHA-1 pass.
    swarmDownloadGivesTheSpecsOfTheFile(null);

    assertTrue(log.text().contains("(no SHA-1 pass)"), log.text());
  }

  @Test
  void aSwarmDownloadOfATorrentWithAnotherPieceLengthHashesThePiecesItself() throws Exception {
    swarmDownloadGivesTheSpecsOfTheFile(4L * MIB);

    assertFalse(log.text().contains("(no SHA-1 pass)"), log.text());
  }

  private void swarmDownloadGivesTheSpecsOfTheFile(Long pieceLength) throws Exception {
    Path seeded = root.resolve("seed/model.bin");
    java.nio.file.Files.createDirectories(seeded.getParent());
    java.nio.file.Files.write(seeded, data);
    TorrentMaker maker = TorrentMaker.forFile(seeded);
    byte[] torrent = (pieceLength == null ? maker : maker.pieceLength(pieceLength)).make();
    try (BitTorrentSeeder seeder = BitTorrentSeeder.builder().bind(InetAddress.getLoopbackAddress()).port(0)
        .seed(torrent, seeded).build()) {
      seeder.start();
      assertTrue(seeder.awaitSeeding(Duration.ofSeconds(20)));
      URI magnet = MagnetLink.of(TorrentMetainfo.parse(torrent).infoHash())
          .withPeers(List.of("127.0.0.1:" + seeder.port())).toUri();

      // A staging directory that cannot exist: any staging file would fail the fetch.
      Path notADirectory = java.nio.file.Files.writeString(root.resolve("not-a-directory"), "x");
      FetchedArtifact artifact = new ArtifactFetcher(cache, backends).fetch(request(sha, magnet),
          context(log).option(BitTorrentOptions.BIND, "127.0.0.1")
              .option(BitTorrentOptions.STAGING_DIR, notADirectory.resolve("staging").toString()).build());

      assertEquals(magnet.toString(), artifact.servedBy());
      assertEquals(sha, sha256(java.nio.file.Files.readAllBytes(artifact.file())));
      assertRememberedSpecsMatchTheFile(artifact);
    }
  }

  @Test
  void aFetchByCidGivesTheSourceCidAsItsCidSpecComputedFromTheVerifiedLeaves() throws Exception {
    Cid cid = UnixFsImporter.kuboDefaults().importFile(Files.write(root.resolve("model.bin"), data));
    HttpServer gateway = gateway(cid, -1);
    try {
      FetchedArtifact artifact = new ArtifactFetcher(cache, backends)
          .fetch(request(sha, URI.create("ipfs://" + cid)), viaGateway(gateway));

      assertRememberedSpecsMatchTheFile(artifact);
      ArtifactEntry bare = ManifestEntries.bare(artifact.request(), artifact.size(), artifact.sha256());
      assertEquals(Optional.of(cid.toString()), cache.seedSpec(ManifestEntries.rememberKey(ipfs, bare))
          .map(s -> s.params().get(IpfsBackend.CID_PARAM)));
    } finally {
      gateway.stop(0);
    }
  }

  @Test
  void aCorruptBlockFailsTheIpfsSourceCommittingNothing() throws Exception {
    Cid cid = UnixFsImporter.kuboDefaults().importFile(Files.write(root.resolve("model.bin"), data));
    // Inside the third leaf's bytes: the first two leaves are verified and written before it fails.
    HttpServer gateway = gateway(cid, 2 * 262_144 + 5_000);
    try {
      ArtifactFetchException e = assertThrows(ArtifactFetchException.class, () -> new ArtifactFetcher(cache,
          backends).fetch(request(sha, URI.create("ipfs://" + cid)), viaGateway(gateway)));

      assertTrue(e.getMessage().contains("does not match"), e.getMessage());
      assertEquals(Optional.empty(), cache.find(sha));
    } finally {
      gateway.stop(0);
    }
  }

  @Test
  void afterACorruptBlockTheNextSourceCompletesTheFileAndTheSpecsAreTheFiles() throws Exception {
    Cid cid = UnixFsImporter.kuboDefaults().importFile(Files.write(root.resolve("model.bin"), data));
    HttpServer gateway = gateway(cid, 2 * 262_144 + 5_000);
    try {
      FetchedArtifact artifact = new ArtifactFetcher(cache, backends).fetch(
          request(sha, URI.create("ipfs://" + cid), origin.uri("/model.bin")), viaGateway(gateway));

      assertEquals(origin.uri("/model.bin").toString(), artifact.servedBy());
      assertEquals(sha, sha256(Files.readAllBytes(artifact.file())));
      assertRememberedSpecsMatchTheFile(artifact);
    } finally {
      gateway.stop(0);
    }
  }

  private FetchContext viaGateway(HttpServer gateway) {
    return context(log).maxAttempts(1)
        .option(IpfsOptions.GATEWAYS, "http://127.0.0.1:" + gateway.getAddress().getPort()).build();
  }

  /**
   * A trustless gateway on loopback serving {@code cid} (the test's data), flipping one bit of the CAR body
   * at {@code corruptAt} (none if negative).
   */
  private HttpServer gateway(Cid cid, long corruptAt) throws Exception {
    TrustlessGateway gateway = TrustlessGateway.builder().file(cid, root.resolve("model.bin")).build();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ipfs/", exchange -> {
      GatewayResponse response = gateway.respond("GET", exchange.getRequestURI(),
          exchange.getRequestHeaders().getFirst("Accept"));
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      response.writeBody(body);
      byte[] bytes = body.toByteArray();
      if (corruptAt >= 0 && corruptAt < bytes.length) {
        bytes[(int) corruptAt] ^= 0x01;
      }
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.sendResponseHeaders(response.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    return server;
  }

  private void assertRememberedSpecsMatchTheFile(FetchedArtifact artifact) throws Exception {
    ArtifactEntry bare = ManifestEntries.bare(artifact.request(), artifact.size(), artifact.sha256());
    for (Backend backend : List.<Backend>of(bittorrent, ipfs)) {
      Optional<SeedEntry> remembered = cache.seedSpec(ManifestEntries.rememberKey(backend, bare));
      // A fresh backend: nothing it remembers from the download can help it.
      Backend fresh = backend instanceof BitTorrentBackend ? new BitTorrentBackend() : new IpfsBackend();
      assertEquals(fresh.seedSpec(bare, artifact.file()), remembered, backend.name() + " spec");
    }
    assertEquals(ManifestEntries.entry(artifact, backends), ManifestEntries.entry(artifact, backends, cache));
    assertTrue(bittorrent.torrentBytes(bare, artifact.file()).length > 0);
  }
}
