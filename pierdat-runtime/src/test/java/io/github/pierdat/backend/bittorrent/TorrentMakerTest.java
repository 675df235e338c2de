package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.bittorrent.bencode.BDict;
import io.github.pierdat.backend.bittorrent.bencode.BencodeReader;
import io.github.pierdat.backend.bittorrent.metainfo.PieceHasher;
import io.github.pierdat.backend.bittorrent.metainfo.PieceLength;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentFormatException;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMaker;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TorrentMakerTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} bytes, piece 2^{1}")
  @CsvSource({"0,18", "1,18", "262144,18", "3000000,18", "3000001,20", "5242880,20", "1048577,15"})
  void infohashEqualsMktorrentsForTheSameBytesNameAndPieceLength(long size, int log2) throws Exception {
    Path file = TestData.randomFile(dir.resolve("data-" + size + ".bin"), size, size);
    Path mk = dir.resolve("mk-" + size + ".torrent");
    Commands.run(dir, "mktorrent", "-l", Integer.toString(log2), "-n", "model.bin", "-a",
        "http://127.0.0.1:1/announce", "-o", mk.toString(), file.toString());
    TorrentMetainfo theirs = TorrentMetainfo.parse(Files.readAllBytes(mk));

    byte[] ours = TorrentMaker.forFile(file).name("model.bin").pieceLength(1L << log2)
        .trackers(List.of("http://127.0.0.1:6969/announce")).make();
    TorrentMetainfo parsed = TorrentMetainfo.parse(ours);

    assertEquals(theirs.infoHash(), parsed.infoHash());
    assertArrayEquals(theirs.infoBytes(), parsed.infoBytes());
    assertEquals(size, parsed.totalLength());
  }

  @Test
  void defaultPieceLengthGivesMktorrentsInfohashAtTheDocumentedLog2() throws Exception {
    Path file = TestData.randomFile(dir.resolve("weights.bin"), 3_333_333, 7);
    int log2 = PieceLength.log2ForSize(Files.size(file));
    Path mk = dir.resolve("mk.torrent");
    Commands.run(dir, "mktorrent", "-l", Integer.toString(log2), "-n", "weights.bin", "-o", mk.toString(),
        file.toString());
    TorrentMetainfo ours = TorrentMetainfo.parse(TorrentMaker.forFile(file).make());
    assertEquals(TorrentMetainfo.parse(Files.readAllBytes(mk)).infoHash(), ours.infoHash());
    assertEquals(1L << 18, ours.pieceLength());
  }

  @Test
  void sameBytesAndNameGiveIdenticalTorrentFilesWithoutCreationDate() throws Exception {
    Path a = TestData.randomFile(dir.resolve("a/x.bin"), 700_000, 3);
    Path b = TestData.randomFile(dir.resolve("b/other-name.bin"), 700_000, 3);
    List<String> trackers = List.of("http://127.0.0.1:6969/announce");
    byte[] first = TorrentMaker.forFile(a).name("x.bin").trackers(trackers).make();
    byte[] second = TorrentMaker.forFile(b).name("x.bin").trackers(trackers).make();
    assertArrayEquals(first, second);
    BDict top = (BDict) BencodeReader.decode(first);
    assertFalse(top.get("creation date").isPresent());
    assertFalse(top.get("created by").isPresent());
    BDict info = (BDict) top.get("info").orElseThrow();
    assertEquals(4, info.entries().size(), "info holds only length, name, piece length, pieces");
  }

  @Test
  void aria2AndTransmissionReadNamesSizePieceLengthTrackersAndWebSeeds() throws Exception {
    Path file = TestData.randomFile(dir.resolve("model.bin"), 1_500_000, 11);
    byte[] torrent = TorrentMaker.forFile(file)
        .trackers(List.of("http://127.0.0.1:6969/announce", "udp://127.0.0.1:6970"))
        .webSeeds(List.of("http://127.0.0.1:8080/data/model.bin")).make();
    Path torrentFile = Files.write(dir.resolve("model.torrent"), torrent);
    String hash = TorrentMetainfo.parse(torrent).infoHash().hex();

    String aria = Commands.run(dir, "aria2c", "-S", torrentFile.toString());
    assertTrue(aria.contains("Info Hash: " + hash), aria);
    assertTrue(aria.contains("Piece Length: 256KiB"), aria);
    assertTrue(aria.contains("Total Length: 1.4MiB (1,500,000)"), aria);
    assertTrue(aria.contains("Name: model.bin"), aria);
    assertTrue(aria.contains("http://127.0.0.1:6969/announce"), aria);

    String show = Commands.run(dir, "transmission-show", torrentFile.toString());
    assertTrue(show.contains("Hash: " + hash), show);
    assertTrue(show.contains("Name: model.bin"), show);
    assertTrue(show.contains("Piece Size: 256.0 KiB"), show);
    assertTrue(show.contains("Piece Count: 6"), show);
    assertTrue(show.contains("http://127.0.0.1:8080/data/model.bin"), show);
    assertTrue(show.contains("udp://127.0.0.1:6970"), show);
    assertTrue(show.contains("Tier #2"), show);
  }

  @Test
  void metainfoReadsAMultiFileTorrentFromMktorrent() throws Exception {
    Path tree = dir.resolve("tree");
    TestData.randomFile(tree.resolve("a.bin"), 300_000, 1);
    TestData.randomFile(tree.resolve("sub/b.bin"), 10, 2);
    Path mk = dir.resolve("tree.torrent");
    Commands.run(dir, "mktorrent", "-l", "18", "-a", "http://127.0.0.1:1/announce",
        "-w", "http://127.0.0.1:2/tree", "-o", mk.toString(), tree.toString());
    TorrentMetainfo meta = TorrentMetainfo.parse(Files.readAllBytes(mk));
    assertTrue(meta.multiFile());
    assertEquals("tree", meta.name());
    assertEquals(300_010, meta.totalLength());
    assertEquals(2, meta.pieceCount());
    assertEquals(List.of(List.of("http://127.0.0.1:1/announce")), meta.trackers());
    assertEquals(List.of("http://127.0.0.1:2/tree"), meta.webSeeds());
    assertTrue(meta.files().stream().anyMatch(f -> f.path().equals(List.of("sub", "b.bin")) && f.length() == 10));
  }

  @Test
  void pieceHasherFedInSmallSlicesMatchesTheParallelFileHash() throws Exception {
    Path file = TestData.randomFile(dir.resolve("h.bin"), 5_000_123, 5);
    byte[] parallel = PieceHasher.hashFile(file, 1 << 18);
    PieceHasher hasher = new PieceHasher(1 << 18);
    byte[] all = Files.readAllBytes(file);
    for (int i = 0; i < all.length; i += 7777) {
      hasher.update(ByteBuffer.wrap(all, i, Math.min(7777, all.length - i)));
    }
    assertArrayEquals(parallel, hasher.finish());
  }

  @Test
  void pieceLengthAimsAtMostTwoThousandPiecesWithinBounds() {
    assertEquals(1L << 18, PieceLength.forSize(0));
    assertEquals(1L << 18, PieceLength.forSize(512L << 20));
    assertEquals(1L << 19, PieceLength.forSize((512L << 20) + 1));
    assertEquals(1L << 19, PieceLength.forSize(1L << 30));
    assertEquals(1L << 21, PieceLength.forSize(4L << 30));
    assertEquals(1L << 24, PieceLength.forSize(1L << 40));
    for (long size = 1; size < (64L << 30); size = size * 3 + 1) {
      long length = PieceLength.forSize(size);
      assertEquals(1, Long.bitCount(length));
      assertTrue(length >= PieceLength.MIN && length <= PieceLength.MAX);
      assertTrue(length == PieceLength.MAX || (size + length - 1) / length <= 2048);
    }
  }

  @Test
  void refusesATorrentWhosePieceCountDoesNotMatchItsLength() {
    byte[] bad = BDict.builder().put("info", BDict.builder().put("length", 1_000_000).put("name", "x")
        .put("piece length", 262144).put("pieces", new byte[20]).build()).build().encode();
    TorrentFormatException e = assertThrows(TorrentFormatException.class, () -> TorrentMetainfo.parse(bad));
    assertTrue(e.getMessage().contains("has 1 piece hashes; expected 4"), e.getMessage());
  }

  @Test
  void refusesATorrentWithoutInfoNamingIt() {
    byte[] bad = BDict.builder().put("announce", "http://t/announce").build().encode();
    TorrentFormatException e = assertThrows(TorrentFormatException.class, () -> TorrentMetainfo.parse(bad));
    assertTrue(e.getMessage().contains("no 'info' dictionary"), e.getMessage());
  }

  @Test
  void refusesTruncatedTorrentBytesWithTheOffset() throws Exception {
    Path file = TestData.randomFile(dir.resolve("t.bin"), 1000, 1);
    byte[] good = TorrentMaker.forFile(file).make();
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 5);
    TorrentFormatException e = assertThrows(TorrentFormatException.class, () -> TorrentMetainfo.parse(cut));
    assertTrue(e.getMessage().contains("malformed bencode at byte"), e.getMessage());
  }
}
