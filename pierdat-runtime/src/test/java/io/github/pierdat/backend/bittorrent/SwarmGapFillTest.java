package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.bittorrent.metainfo.InfoHash;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMaker;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.testing.TestOrigin;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Swarm first, origin last: a stalled swarm download is completed over HTTP, keeping the verified pieces. */
@Timeout(120)
class SwarmGapFillTest {

  private static final int PIECE = 1 << 18;
  private static final int SIZE = 13 * PIECE - 4321;
  private static final int GOOD_PIECES = 6;

  @TempDir Path dir;
  private final BitTorrentBackend backend = new BitTorrentBackend();
  private final byte[] data = TestOrigin.randomBytes(SIZE, 51);
  private TestOrigin origin;

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start().serve("/model.bin", data);
  }

  @AfterEach
  void stop() throws Exception {
    origin.close();
  }

  private FetchContext context(RecordingLog log, List<URI> artifactSources) {
    return FetchContext.builder().log(log)
        .option(BitTorrentOptions.BIND, "127.0.0.1")
        .option(BitTorrentOptions.STALL_TIMEOUT, "3")
        .option(BitTorrentOptions.STAGING_DIR, dir.resolve("staging").toString())
        .artifactSources(artifactSources)
        .build();
  }

  @Test
  void aSwarmThatStallsMidwayIsCompletedFromTheOriginWithoutFetchingTheVerifiedPiecesAgain() throws Exception {
    Path full = Files.write(Files.createDirectories(dir.resolve("full")).resolve("model.bin"), data);
    // The only peer has the first pieces and garbage after them: it can serve those, then the swarm stalls.
    byte[] partial = Arrays.copyOf(data, data.length);
    Arrays.fill(partial, GOOD_PIECES * PIECE, partial.length, (byte) 0);
    Path seedDir = Files.createDirectories(dir.resolve("seed"));
    Files.write(seedDir.resolve("model.bin"), partial);
    try (Swarm swarm = new Swarm(dir)) {
      InfoHash hash = TorrentMetainfo.parse(TorrentMaker.forFile(full).pieceLength(PIECE).make()).infoHash();
      String tracker = swarm.startTracker(hash);
      Path torrent = Files.write(dir.resolve("model.torrent"),
          TorrentMaker.forFile(full).pieceLength(PIECE).trackers(List.of(tracker)).make());
      swarm.aria2Seeder(torrent, seedDir);
      URI swarmSource = URI.create("torrent+" + torrent.toUri());
      URI httpSource = origin.uri("/model.bin");

      RecordingLog log = new RecordingLog();
      Path out = dir.resolve("out.bin");
      try (FileTarget target = new FileTarget(out, false)) {
        backend.fetch(swarmSource, target, context(log, List.of(swarmSource, httpSource)));
      }

      assertEquals(TestData.sha256(data), TestData.sha256(out));
      assertEquals(SIZE - (long) GOOD_PIECES * PIECE, origin.bytesServed(),
          "the origin served exactly the pieces the swarm did not have");
      assertTrue(log.all().contains("kept " + GOOD_PIECES + " of 13 pieces"), log.all());
      assertTrue(log.all().contains(httpSource + " (" + (SIZE - GOOD_PIECES * PIECE) + " bytes)"), log.all());
      assertTrue(log.all().contains("127.0.0.1:"), "bytes per peer are reported: " + log.all());
    }
  }

  @Test
  void theTorrentsWebSeedFillsEveryPieceWhenNoPeerAnswers() throws Exception {
    Path full = Files.write(Files.createDirectories(dir.resolve("full")).resolve("model.bin"), data);
    URI webSeed = origin.uri("/model.bin");
    try (Swarm swarm = new Swarm(dir)) {
      InfoHash hash = TorrentMetainfo.parse(TorrentMaker.forFile(full).pieceLength(PIECE).make()).infoHash();
      String tracker = swarm.startTracker(hash);
      Path torrent = Files.write(dir.resolve("model.torrent"), TorrentMaker.forFile(full).pieceLength(PIECE)
          .trackers(List.of(tracker)).webSeeds(List.of(webSeed.toString())).make());
      URI swarmSource = URI.create("torrent+" + torrent.toUri());

      RecordingLog log = new RecordingLog();
      Path out = dir.resolve("out.bin");
      try (FileTarget target = new FileTarget(out, true)) {
        backend.fetch(swarmSource, target, context(log, List.of(swarmSource)));
      }

      assertEquals(TestData.sha256(data), TestData.sha256(out));
      assertEquals(SIZE, origin.bytesServed());
      assertTrue(log.all().contains("kept 0 of 13 pieces"), log.all());
      assertTrue(origin.requests().stream().allMatch(r -> r.header("Range") != null),
          "missing pieces are fetched with range requests: " + origin.requests());
    }
  }

  @Test
  void piecesAnOriginGetsWrongAreAskedOfTheNextOrigin() throws Exception {
    Path full = Files.write(Files.createDirectories(dir.resolve("full")).resolve("model.bin"), data);
    byte[] corrupt = Arrays.copyOf(data, data.length);
    corrupt[5 * PIECE + 10] ^= 1;
    origin.serve("/corrupt.bin", corrupt);
    try (Swarm swarm = new Swarm(dir)) {
      InfoHash hash = TorrentMetainfo.parse(TorrentMaker.forFile(full).pieceLength(PIECE).make()).infoHash();
      String tracker = swarm.startTracker(hash);
      Path torrent = Files.write(dir.resolve("model.torrent"),
          TorrentMaker.forFile(full).pieceLength(PIECE).trackers(List.of(tracker)).make());
      URI swarmSource = URI.create("torrent+" + torrent.toUri());

      RecordingLog log = new RecordingLog();
      Path out = dir.resolve("out.bin");
      try (FileTarget target = new FileTarget(out, true)) {
        backend.fetch(swarmSource, target, context(log,
            List.of(swarmSource, origin.uri("/corrupt.bin"), origin.uri("/model.bin"))));
      }

      assertEquals(TestData.sha256(data), TestData.sha256(out));
      assertTrue(log.all().contains(origin.uri("/model.bin") + " (" + PIECE + " bytes)"),
          "only the bad piece came from the second origin: " + log.all());
    }
  }
}
