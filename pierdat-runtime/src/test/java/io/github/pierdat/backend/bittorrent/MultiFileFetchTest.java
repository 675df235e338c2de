package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.bittorrent.metainfo.MagnetLink;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.testing.FileTarget;
import io.github.pierdat.testing.RecordingLog;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetches one file of a real multi-file torrent (made by mktorrent, seeded by aria2c): the middle file, whose
 * first and last pieces straddle its neighbours.
 */
@Timeout(120)
class MultiFileFetchTest {

  private static final int PIECE = 1 << 18;
  private static final long A = 4L * PIECE + 100_001;
  private static final long B = 600_000;
  private static final long C = 1_300_007;

  @TempDir Path dir;
  private final BitTorrentBackend backend = new BitTorrentBackend();

  private FetchContext context(RecordingLog log, int peerPort) {
    return FetchContext.builder().log(log)
        .option(BitTorrentOptions.BIND, "127.0.0.1")
        .option(BitTorrentOptions.PEERS, "127.0.0.1:" + peerPort)
        .option(BitTorrentOptions.STALL_TIMEOUT, "20")
        .option(BitTorrentOptions.STAGING_DIR, dir.resolve("staging").toString())
        .build();
  }

  private Path torrent() throws Exception {
    Path set = Files.createDirectories(dir.resolve("seed/set"));
    TestData.randomFile(set.resolve("a.bin"), A, 1);
    TestData.randomFile(set.resolve("b/model.bin"), B, 2);
    TestData.randomFile(set.resolve("c.bin"), C, 3);
    Path torrent = dir.resolve("set.torrent");
    Commands.run(dir, "mktorrent", "-l", "18", "-o", torrent.toString(), set.toString());
    return torrent;
  }

  @Test
  void magnetNamingTheMiddleFileDownloadsOnlyThePiecesOverlappingIt() throws Exception {
    Path torrent = torrent();
    TorrentMetainfo meta = TorrentMetainfo.parse(Files.readAllBytes(torrent));
    try (Swarm swarm = new Swarm(dir)) {
      int port = swarm.aria2Seeder(torrent, dir.resolve("seed"));
      RecordingLog log = new RecordingLog();
      URI magnet = URI.create(MagnetLink.of(meta.infoHash()) + "#file=b/model.bin");
      Path out = dir.resolve("out.bin");
      try (FileTarget target = new FileTarget(out, true)) {
        backend.fetch(magnet, target, context(log, port));
        assertEquals(B, target.expectedSize());
      }
      assertEquals(TestData.sha256(dir.resolve("seed/set/b/model.bin")), TestData.sha256(out));
      Matcher m = Pattern.compile(B + " bytes in \\d+ ms from 127\\.0\\.0\\.1:\\d+ \\((\\d+) bytes\\)").matcher(log.text());
      assertTrue(m.find(), log.text());
      long overlapping = (((A + B - 1) / PIECE) - (A / PIECE) + 1) * PIECE;
      assertTrue(Long.parseLong(m.group(1)) <= overlapping, "only the pieces overlapping b/model.bin: " + m.group(1)
          + " <= " + overlapping);
      assertTrue(log.text().contains("file [1] b/model.bin (" + B + " bytes) of 3 files"), log.text());
      try (Stream<Path> left = Files.list(dir.resolve("staging"))) {
        assertEquals(List.of(), left.toList(), "the scratch file is deleted");
      }
    }
  }

  @Test
  void torrentFileSourceWithSelectedFileFetchesIntoAnInOrderTarget() throws Exception {
    Path torrent = torrent();
    try (Swarm swarm = new Swarm(dir)) {
      int port = swarm.aria2Seeder(torrent, dir.resolve("seed"));
      Path out = dir.resolve("out-c.bin");
      try (FileTarget target = new FileTarget(out, false)) {
        backend.fetch(URI.create("torrent+" + torrent.toUri() + "#file=c.bin"), target,
            context(new RecordingLog(), port));
      }
      assertEquals(TestData.sha256(dir.resolve("seed/set/c.bin")), TestData.sha256(out));
    }
  }

  @Test
  void magnetOfAMultiFileTorrentNamingNoFileFailsListingItsFiles() throws Exception {
    Path torrent = torrent();
    TorrentMetainfo meta = TorrentMetainfo.parse(Files.readAllBytes(torrent));
    try (Swarm swarm = new Swarm(dir)) {
      int port = swarm.aria2Seeder(torrent, dir.resolve("seed"));
      URI magnet = MagnetLink.of(meta.infoHash()).toUri();
      try (FileTarget target = new FileTarget(dir.resolve("none.bin"), true)) {
        FetchException e = assertThrows(FetchException.class,
            () -> backend.fetch(magnet, target, context(new RecordingLog(), port)));
        assertTrue(e.getMessage().contains("has 3 files and the source names none; add #file=<path>"), e.getMessage());
        assertTrue(e.getMessage().contains("[1] b/model.bin (" + B + " bytes)"), e.getMessage());
      }
    }
  }
}
