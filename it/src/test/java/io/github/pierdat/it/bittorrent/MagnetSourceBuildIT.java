package io.github.pierdat.it.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.ItEnvironment;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import io.github.pierdat.manifest.ArtifactEntry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code pierdat:fetch} of BitTorrent sources: from a real aria2c seeder found through opentracker, swarm
 * first with the HTTP origin filling in what the swarm lacks, and the bad cases (malformed magnet, bytes
 * that are not the declared sha256, nobody to download from).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class MagnetSourceBuildIT {

  private static final byte[] DATA = TestData.random(2 * 1024 * 1024 + 999, 501);
  private static final String SHA = Sha256.hex(DATA);

  private Path work;
  private Opentracker tracker;
  private Daemon seeder;
  private String infohash;

  @BeforeAll
  void seed() throws Exception {
    work = Files.createTempDirectory(ItEnvironment.work(), "bt-magnet-");
    tracker = Opentracker.start(work);
    Path seedDir = Files.createDirectories(work.resolve("seed"));
    Path data = Files.write(seedDir.resolve("model.bin"), DATA);
    Path torrent = work.resolve("model.torrent");
    TorrentTools.run("mktorrent", "-l", "18", "-a", tracker.announceUrl(), "-o", torrent.toString(), data.toString());
    infohash = TorrentTools.infohash(torrent);
    tracker.allow(infohash);
    seeder = Aria2.seeder(torrent, seedDir, work.resolve("aria2-seeder.log"));
  }

  @AfterAll
  void stop() {
    if (seeder != null) {
      seeder.close();
    }
    if (tracker != null) {
      tracker.close();
    }
  }

  private String magnet(String hash) {
    return "magnet:?xt=urn:btih:" + hash + "&dn=model.bin&tr="
        + URLEncoder.encode(tracker.announceUrl(), StandardCharsets.UTF_8);
  }

  private static BuildResult fetch(String source, String sha, ArtifactCache cache) {
    return SampleProject.copy("bittorrent").build("pierdat:fetch")
        .property("source", source)
        .property("sha", sha)
        .property("pierdat.cacheDirectory", cache.toString())
        .timeout(Duration.ofMinutes(4))
        .run();
  }

  @Test
  void buildDownloadsAMagnetSourceFromAnAria2SeederFoundThroughTheTracker() throws Exception {
    ArtifactCache cache = ArtifactCache.fresh("bt-magnet-ok");
    SampleProject project = SampleProject.copy("bittorrent");
    BuildResult result = project.build("pierdat:fetch")
        .property("source", magnet(infohash))
        .property("sha", SHA)
        .property("pierdat.cacheDirectory", cache.toString())
        .run()
        .assertSucceeded();

    ArtifactEntry entry = project.pierDat().artifacts().get(0);
    assertEquals(SHA, entry.sha256());
    List<Path> cached = cache.filesUnder("sha256");
    assertEquals(1, cached.size(), cached.toString());
    assertEquals(SHA, Sha256.hex(cached.get(0)));
    // The backend names each peer it got bytes from; the aria2c seeder is the only one.
    assertEquals(1, result.linesContaining("bittorrent " + infohash + " (model.bin): " + DATA.length + " bytes").size(),
        result.tail(40));
    assertTrue(result.find("from (incoming )?127\\.0\\.0\\.1:\\d+ \\(" + DATA.length + " bytes\\)") != null, result.tail(40));
  }

  @Test
  void malformedMagnetFailsTheBuildNamingTheSource() throws Exception {
    ArtifactCache cache = ArtifactCache.fresh("bt-magnet-bad");
    BuildResult result = fetch("magnet:?xt=urn:btih:not-a-hash&dn=model.bin", SHA, cache).assertPluginFailed();
    assertTrue(result.errors().contains("magnet:?xt=urn:btih:not-a-hash"), result.errors());
    assertTrue(result.errors().contains("is not a usable magnet link"), result.errors());
    assertEquals(List.of(), cache.filesUnder("sha256"));
  }

  @Test
  void swarmBytesThatAreNotTheDeclaredSha256FailTheBuildAndAreNotCached() throws Exception {
    ArtifactCache cache = ArtifactCache.fresh("bt-magnet-sha");
    String wrongSha = Sha256.hex(TestData.random(10, 1));
    BuildResult result = fetch(magnet(infohash), wrongSha, cache).assertPluginFailed();
    assertTrue(result.errors().contains("sha256 mismatch: expected " + wrongSha + ", got " + SHA), result.errors());
    assertEquals(List.of(), cache.filesUnder("sha256"));
  }

  @Test
  void swarmWithoutPeersFailsTheBuildNamingTheTrackersAndPeersTried() throws Exception {
    ArtifactCache cache = ArtifactCache.fresh("bt-magnet-none");
    String nobody = "0123456789abcdef0123456789abcdef01234567";
    tracker.allow(nobody);
    BuildResult result = fetch(magnet(nobody) + "&x.pe=127.0.0.1:9", SHA, cache).assertPluginFailed();
    String errors = result.errors();
    assertTrue(errors.contains("no progress for 30 s downloading " + nobody), errors);
    assertTrue(errors.contains("trackers asked: " + tracker.announceUrl()), errors);
    assertTrue(errors.contains("static peers: 127.0.0.1:9"), errors);
    assertTrue(errors.contains("; connected: "), errors);
    assertFalse(Pattern.compile("\\w+Exception: ").matcher(errors).find(), "no exception text: " + errors);
    assertEquals(List.of(), cache.filesUnder("sha256"));
  }

  @Test
  void swarmThatStallsMidwayIsCompletedFromTheHttpSourceKeepingTheVerifiedPieces() throws Exception {
    byte[] bytes = TestData.random(2 * 1024 * 1024 + 777, 502);
    int piece = 1 << 18;
    int seeded = 4;
    Path real = Files.write(Files.createDirectories(work.resolve("half-real")).resolve("model.bin"), bytes);
    Path torrent = work.resolve("half.torrent");
    TorrentTools.run("mktorrent", "-l", "18", "-a", tracker.announceUrl(), "-o", torrent.toString(), real.toString());
    String hash = TorrentTools.infohash(torrent);
    tracker.allow(hash);
    // The swarm's only peer has the first pieces: the rest of its copy is zeros, which aria2c won't offer.
    byte[] partial = bytes.clone();
    java.util.Arrays.fill(partial, seeded * piece, partial.length, (byte) 0);
    Path halfDir = Files.createDirectories(work.resolve("half-seed"));
    Files.write(halfDir.resolve("model.bin"), partial);
    ArtifactCache cache = ArtifactCache.fresh("bt-fill");
    try (Daemon half = Aria2.seeder(torrent, halfDir, work.resolve("aria2-half.log"));
        Origin origin = Origin.start().serve("/model.bin", bytes)) {
      BuildResult result = SampleProject.copy("bittorrent-fallback").build("pierdat:fetch")
          .property("source", "torrent+" + torrent.toUri())
          .property("fallback", origin.url("/model.bin"))
          .property("sha", Sha256.hex(bytes))
          .property("pierdat.bittorrent.stallTimeout", "4")
          .property("pierdat.cacheDirectory", cache.toString())
          .run()
          .assertSucceeded();

      long missing = bytes.length - (long) seeded * piece;
      assertEquals(missing, origin.bytesServed("/model.bin"), "the origin sent only what the swarm lacked");
      assertTrue(origin.gets("/model.bin").stream().allMatch(r -> r.range() != null), "range requests only");
      result.find(seeded + " piece\\(s\\) from (incoming )?127\\.0\\.0\\.1:\\d+ \\(\\d+ bytes\\); "
          + (9 - seeded) + " piece\\(s\\) from " + Pattern.quote(origin.url("/model.bin")) + " \\(" + missing + " bytes\\)");
      List<Path> cached = cache.filesUnder("sha256");
      assertEquals(1, cached.size(), cached.toString());
      assertEquals(Sha256.hex(bytes), Sha256.hex(cached.get(0)));
    }
  }
}
