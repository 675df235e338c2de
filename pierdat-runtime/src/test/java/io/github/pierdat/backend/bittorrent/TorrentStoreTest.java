package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentStoreTest {

  @TempDir Path dir;

  private static ArtifactEntry withSeed(ArtifactEntry bare, SeedEntry seed) {
    return new ArtifactEntry(bare.name(), bare.path(), bare.size(), bare.sha256(), bare.sources(), List.of(seed));
  }

  @Test
  void aStoredTorrentIsReusedWithoutReadingTheArtifactAgain() throws Exception {
    Path file = TestData.randomFile(dir.resolve("cache/model.bin"), 600_000, 1);
    ArtifactEntry bare = new ArtifactEntry("model", "/data/model.bin", 600_000, TestData.sha256(file),
        List.of("https://origin.example/model.bin"), List.of());
    BitTorrentBackend backend = new BitTorrentBackend(List.of("http://t.example/announce"));
    ArtifactEntry artifact = withSeed(bare, backend.seedSpec(bare, file).orElseThrow());
    byte[] first = new TorrentStore(dir.resolve("torrents"), backend).torrent(artifact, file).orElseThrow();

    Files.delete(file);
    BitTorrentBackend fresh = new BitTorrentBackend(List.of("http://t.example/announce"));
    byte[] again = new TorrentStore(dir.resolve("torrents"), fresh).torrent(artifact, file).orElseThrow();

    assertArrayEquals(first, again);
    assertEquals(artifact.seed("bittorrent").orElseThrow().param("infohash"),
        TorrentMetainfo.parse(again).infoHash().hex());
  }

  @Test
  void aStoredTorrentWithOtherTrackersIsMadeAgain() throws Exception {
    Path file = TestData.randomFile(dir.resolve("cache/model.bin"), 300_000, 2);
    ArtifactEntry bare = new ArtifactEntry("model", "/data/model.bin", 300_000, TestData.sha256(file), List.of(),
        List.of());
    BitTorrentBackend old = new BitTorrentBackend(List.of("http://old.example/announce"));
    ArtifactEntry artifact = withSeed(bare, old.seedSpec(bare, file).orElseThrow());
    new TorrentStore(dir.resolve("torrents"), old).torrent(artifact, file).orElseThrow();

    BitTorrentBackend now = new BitTorrentBackend(List.of("udp://new.example:6969"));
    byte[] made = new TorrentStore(dir.resolve("torrents"), now).torrent(artifact, file).orElseThrow();

    assertEquals(List.of("udp://new.example:6969"), TorrentMetainfo.parse(made).trackerUrls());
    assertTrue(new TorrentStore(dir.resolve("torrents"), now)
        .torrent(new ArtifactEntry("x", "/x", 1, bare.sha256(), List.of(), List.of()), file).isEmpty());
  }
}
