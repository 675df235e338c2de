package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.bittorrent.metainfo.InfoHash;
import io.github.pierdat.backend.bittorrent.metainfo.MagnetLink;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMaker;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.testing.FileTarget;
import io.github.pierdat.testing.RecordingLog;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class BitTorrentFetchTest {

  private static final long SIZE = 3 * 1024 * 1024 + 12345;

  @TempDir Path dir;
  private final BitTorrentBackend backend = new BitTorrentBackend();

  private FetchContext context(RecordingLog log, String stallSeconds) {
    return FetchContext.builder().log(log)
        .option(BitTorrentOptions.BIND, "127.0.0.1")
        .option(BitTorrentOptions.STALL_TIMEOUT, stallSeconds)
        .option(BitTorrentOptions.STAGING_DIR, dir.resolve("staging").toString())
        .build();
  }

  @Test
  void fetchesAMagnetFromAnAria2SeederFoundThroughOpentracker() throws Exception {
    Path data = TestData.randomFile(dir.resolve("seed/model.bin"), SIZE, 42);
    try (Swarm swarm = new Swarm(dir)) {
      byte[] probe = TorrentMaker.forFile(data).make();
      InfoHash hash = TorrentMetainfo.parse(probe).infoHash();
      String tracker = swarm.startTracker(hash);
      Path torrent = Files.write(dir.resolve("model.torrent"),
          TorrentMaker.forFile(data).trackers(List.of(tracker)).make());
      swarm.aria2Seeder(torrent, data.getParent());

      RecordingLog log = new RecordingLog();
      URI magnet = MagnetLink.of(hash).withTrackers(List.of(tracker)).toUri();
      Path out = dir.resolve("out.bin");
      try (FileTarget target = new FileTarget(out, true)) {
        backend.fetch(magnet, target, context(log, "30"));
        assertEquals(SIZE, target.expectedSize());
        assertTrue(target.usedRandomAccess());
        assertFalse(target.usedWrite());
      }
      assertEquals(TestData.sha256(data), TestData.sha256(out));
      assertTrue(log.text().contains("bytes)"), "per-peer bytes are logged: " + log.text());
      assertTrue(log.text().contains("127.0.0.1:"), log.text());
    }
  }

  @Test
  void findsTheSeederThroughTheSameTrackerOverUdp() throws Exception {
    Path data = TestData.randomFile(dir.resolve("seed/udp.bin"), 1_000_000, 46);
    try (Swarm swarm = new Swarm(dir)) {
      InfoHash hash = TorrentMetainfo.parse(TorrentMaker.forFile(data).make()).infoHash();
      String tracker = swarm.startTracker(hash);
      Path torrent = Files.write(dir.resolve("udp.torrent"),
          TorrentMaker.forFile(data).trackers(List.of(tracker)).make());
      swarm.aria2Seeder(torrent, data.getParent());
      String udpTracker = tracker.replace("http://", "udp://").replace("/announce", "");
      Path out = dir.resolve("out.bin");
      try (FileTarget target = new FileTarget(out, true)) {
        backend.fetch(MagnetLink.of(hash).withTrackers(List.of(udpTracker)).toUri(), target,
            context(new RecordingLog(), "30"));
      }
      assertEquals(TestData.sha256(data), TestData.sha256(out));
    }
  }

  @Test
  void fetchesATorrentFileSourceIntoAnInOrderTargetThroughAStagingFile() throws Exception {
    Path data = TestData.randomFile(dir.resolve("seed/index.bin"), SIZE, 43);
    try (Swarm swarm = new Swarm(dir)) {
      InfoHash hash = TorrentMetainfo.parse(TorrentMaker.forFile(data).make()).infoHash();
      String tracker = swarm.startTracker(hash);
      Path torrent = Files.write(dir.resolve("index.torrent"),
          TorrentMaker.forFile(data).trackers(List.of(tracker)).make());
      swarm.aria2Seeder(torrent, data.getParent());

      Path out = dir.resolve("out.bin");
      Files.write(out, new byte[1000]); // stale bytes from an earlier attempt: discarded
      try (FileTarget target = new FileTarget(out, false)) {
        backend.fetch(URI.create("torrent+" + torrent.toUri()), target, context(new RecordingLog(), "30"));
        assertTrue(target.usedWrite());
      }
      assertEquals(TestData.sha256(data), TestData.sha256(out));
      try (var staged = Files.list(dir.resolve("staging"))) {
        assertEquals(0, staged.count(), "the staging file is deleted");
      }
    }
  }

  @Test
  void fetchesFromOurOwnSeederGivenAsADirectPeerInTheMagnet() throws Exception {
    Path data = TestData.randomFile(dir.resolve("seed/weights.bin"), SIZE, 44);
    byte[] torrent = TorrentMaker.forFile(data).make();
    InfoHash hash = TorrentMetainfo.parse(torrent).infoHash();
    try (BitTorrentSeeder seeder = BitTorrentSeeder.builder().bind(InetAddress.getLoopbackAddress()).port(0)
        .seed(torrent, data).build()) {
      seeder.start();
      assertTrue(seeder.awaitSeeding(Duration.ofSeconds(20)));
      URI magnet = MagnetLink.of(hash).withPeers(List.of("127.0.0.1:" + seeder.port())).toUri();
      Path out = dir.resolve("out.bin");
      RecordingLog log = new RecordingLog();
      try (FileTarget target = new FileTarget(out, true)) {
        backend.fetch(magnet, target, context(log, "30"));
      }
      assertEquals(TestData.sha256(data), TestData.sha256(out));
      assertTrue(log.text().contains("127.0.0.1:" + seeder.port() + " ("), log.text());
      assertTrue(seeder.uploaded().get(hash) >= SIZE, "seeder counted its upload: " + seeder.uploaded());
    }
  }

  @Test
  void onDemandSeederHoldsItsPortAndStartsBitTorrentWhenTheFirstPeerConnects() throws Exception {
    Path data = TestData.randomFile(dir.resolve("seed/lazy.bin"), SIZE, 46);
    byte[] torrent = TorrentMaker.forFile(data).make();
    InfoHash hash = TorrentMetainfo.parse(torrent).infoHash();
    try (BitTorrentSeeder seeder = BitTorrentSeeder.builder().bind(InetAddress.getLoopbackAddress()).port(0)
        .onDemand(true).trustFiles(true).seed(torrent, data).build()) {
      seeder.start();
      assertTrue(seeder.isStandingBy(), "no peer yet: bt not started");
      assertTrue(seeder.port() > 0);
      URI magnet = MagnetLink.of(hash).withPeers(List.of("127.0.0.1:" + seeder.port())).toUri();
      Path out = dir.resolve("out.bin");
      try (FileTarget target = new FileTarget(out, true)) {
        backend.fetch(magnet, target, context(new RecordingLog(), "30"));
      }
      assertEquals(TestData.sha256(data), TestData.sha256(out));
      assertFalse(seeder.isStandingBy(), "the first peer started bt");
      assertTrue(seeder.uploaded().get(hash) >= SIZE, "seeder counted its upload: " + seeder.uploaded());
    }
  }

  @Test
  void failsWithinTheStallTimeoutNamingTheTrackerWhenNoPeerHasTheTorrent() throws Exception {
    Path data = TestData.randomFile(dir.resolve("seed/lonely.bin"), 100_000, 45);
    InfoHash hash = TorrentMetainfo.parse(TorrentMaker.forFile(data).make()).infoHash();
    try (Swarm swarm = new Swarm(dir)) {
      String tracker = swarm.startTracker(hash);
      URI magnet = MagnetLink.of(hash).withTrackers(List.of(tracker)).toUri();
      long start = System.nanoTime();
      try (FileTarget target = new FileTarget(dir.resolve("out.bin"), true)) {
        FetchException e = assertThrows(FetchException.class,
            () -> backend.fetch(magnet, target, context(new RecordingLog(), "3")));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds < 15, "gave up after " + seconds + " s");
        assertTrue(e.getMessage().contains("no progress for 3 s"), e.getMessage());
        assertTrue(e.getMessage().contains(tracker), e.getMessage());
        assertTrue(e.getMessage().contains(hash.hex()), e.getMessage());
        assertTrue(e.isRetryable());
        assertEquals(0, target.position(), "nothing is left for the next source to resume from");
      }
    }
  }

  @Test
  void refusesAMagnetWithNobodyToAskAtOnce() throws Exception {
    URI magnet = URI.create("magnet:?xt=urn:btih:" + "ab".repeat(20));
    try (FileTarget target = new FileTarget(dir.resolve("out.bin"), true)) {
      FetchException e = assertThrows(FetchException.class,
          () -> backend.fetch(magnet, target, context(new RecordingLog(), "30")));
      assertTrue(e.getMessage().contains("names no tracker"), e.getMessage());
      assertTrue(e.getMessage().contains(BitTorrentOptions.PEERS), e.getMessage());
    }
  }

  @Test
  void acceptsMagnetAndTorrentPrefixedSourcesButLeavesPlainHttpToTheHttpBackend() {
    assertTrue(backend.accepts(URI.create("magnet:?xt=urn:btih:" + "ab".repeat(20))));
    assertTrue(backend.accepts(URI.create("torrent+https://example.org/x.torrent")));
    assertTrue(backend.accepts(URI.create("torrent+file:/data/x.torrent")));
    assertFalse(backend.accepts(URI.create("https://example.org/x.torrent")));
    assertFalse(backend.accepts(URI.create("magnet:?xt=urn:ed2k:abc")));
    assertTrue(Backends.load().named("bittorrent").isPresent(), "registered with ServiceLoader");
  }
}
