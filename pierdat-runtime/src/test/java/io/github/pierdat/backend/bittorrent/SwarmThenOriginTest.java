package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.bittorrent.metainfo.InfoHash;
import io.github.pierdat.backend.bittorrent.metainfo.MagnetLink;
import io.github.pierdat.backend.bittorrent.metainfo.PieceLength;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMaker;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.testing.FileTarget;
import io.github.pierdat.testing.RecordingLog;
import io.github.pierdat.testing.TestOrigin;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Swarm first, origin last: a swarm that stalls midway is completed from HTTP, keeping verified pieces. */
@Timeout(120)
class SwarmThenOriginTest {

  private static final int SIZE = 3 * 1024 * 1024 + 4321;

  @TempDir Path dir;

  private FetchContext context(RecordingLog log, URI origin) {
    return FetchContext.builder().log(log)
        .option(BitTorrentOptions.BIND, "127.0.0.1")
        .option(BitTorrentOptions.STALL_TIMEOUT, "4")
        .option(FetchContext.OTHER_SOURCES, "file:/nowhere " + origin)
        .build();
  }

  @Test
  void swarmThatStallsMidwayIsCompletedFromTheOriginWithoutFetchingItsPiecesAgain() throws Exception {
    byte[] bytes = TestOrigin.randomBytes(SIZE, 77);
    long piece = PieceLength.forSize(SIZE);
    int pieces = (int) ((SIZE + piece - 1) / piece);
    int seeded = pieces / 2;
    // The only peer holds the first half: an aria2c whose copy has every later piece zeroed.
    byte[] partial = bytes.clone();
    Arrays.fill(partial, (int) (seeded * piece), SIZE, (byte) 0);
    Path seedDir = Files.createDirectories(dir.resolve("seed"));
    Path data = Files.write(seedDir.resolve("model.bin"), partial);
    Path real = Files.write(Files.createDirectories(dir.resolve("real")).resolve("model.bin.src"), bytes);
    try (Swarm swarm = new Swarm(dir); TestOrigin origin = TestOrigin.start().serve("/model.bin", bytes)) {
      InfoHash hash = TorrentMetainfo.parse(TorrentMaker.forFile(real).name("model.bin").make()).infoHash();
      String tracker = swarm.startTracker(hash);
      Path torrent = Files.write(dir.resolve("model.torrent"),
          TorrentMaker.forFile(real).name("model.bin").trackers(List.of(tracker)).make());
      swarm.aria2Seeder(torrent, data.getParent());

      RecordingLog log = new RecordingLog();
      Path out = dir.resolve("out.bin");
      try (FileTarget target = new FileTarget(out, true)) {
        new BitTorrentBackend().fetch(MagnetLink.of(hash).withTrackers(List.of(tracker)).toUri(), target,
            context(log, origin.uri("/model.bin")));
      }

      assertEquals(TestData.sha256(bytes), TestData.sha256(out));
      long missing = SIZE - seeded * piece;
      assertEquals(missing, origin.bytesServed(), "the origin sent only the pieces the swarm did not: " + log.lines());
      assertTrue(origin.requests().stream().allMatch(r -> r.header("Range") != null), "range requests only");
      String summary = String.join("\n", log.lines());
      // The seeder found through the tracker may connect to us (named "incoming 127.0.0.1:<its remote port>").
      assertTrue(java.util.regex.Pattern.compile(seeded + " piece\\(s\\) from (incoming )?127\\.0\\.0\\.1:\\d+ ")
          .matcher(summary).find(), summary);
      assertTrue(summary.contains((pieces - seeded) + " piece(s) from " + origin.uri("/model.bin") + " ("
          + missing + " bytes)"), summary);
    }
  }

  @Test
  void originWhosePiecesDoNotMatchTheTorrentFailsNamingThePiece() throws Exception {
    byte[] bytes = TestOrigin.randomBytes(SIZE, 78);
    byte[] other = TestOrigin.randomBytes(SIZE, 79);
    Path real = Files.write(dir.resolve("model.bin"), bytes);
    byte[] torrentBytes = TorrentMaker.forFile(real).make();
    Path torrent = Files.write(dir.resolve("model.torrent"), torrentBytes);
    try (TestOrigin origin = TestOrigin.start().serve("/model.bin", other)) {
      RecordingLog log = new RecordingLog();
      Path out = dir.resolve("out.bin");
      try (FileTarget target = new FileTarget(out, true)) {
        FetchException e = assertThrows(FetchException.class, () -> new BitTorrentBackend().fetch(
            URI.create("torrent+" + torrent.toUri()), target, FetchContext.builder().log(log)
                .option(BitTorrentOptions.BIND, "127.0.0.1").option(BitTorrentOptions.STALL_TIMEOUT, "1")
                .option(BitTorrentOptions.PEERS, "127.0.0.1:9")
                .option(FetchContext.OTHER_SOURCES, origin.uri("/model.bin").toString()).build()));
        assertTrue(e.getMessage().contains("cannot fill pieces 0.."), e.getMessage());
        assertTrue(e.getMessage().contains("piece 0 does not match its sha1 in the torrent"), e.getMessage());
      }
    }
  }
}
