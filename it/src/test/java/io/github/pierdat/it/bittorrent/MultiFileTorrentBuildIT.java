package io.github.pierdat.it.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.ItEnvironment;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code pierdat:fetch} of one file of a multi-file torrent (mktorrent of a directory of three files whose
 * pieces straddle the file boundaries, seeded by a real aria2c found through opentracker): the source names
 * the middle file with {@code #file=}, and a source naming no file fails the build listing the files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class MultiFileTorrentBuildIT {

  private static final int PIECE = 1 << 18;
  private static final byte[] FIRST = TestData.random(3 * PIECE + 70_001, 601);
  private static final byte[] MIDDLE = TestData.random(PIECE + 123_457, 602);
  private static final byte[] LAST = TestData.random(2 * PIECE + 5_003, 603);

  private Path work;
  private Opentracker tracker;
  private Daemon seeder;
  private String infohash;

  @BeforeAll
  void seed() throws Exception {
    work = Files.createTempDirectory(ItEnvironment.work(), "bt-multi-");
    tracker = Opentracker.start(work);
    Path seedDir = Files.createDirectories(work.resolve("seed"));
    Path set = Files.createDirectories(seedDir.resolve("set/b"));
    // mktorrent orders the files by path: a.bin, b/model.bin, c.bin.
    Files.write(seedDir.resolve("set/a.bin"), FIRST);
    Files.write(set.resolve("model.bin"), MIDDLE);
    Files.write(seedDir.resolve("set/c.bin"), LAST);
    Path torrent = work.resolve("set.torrent");
    TorrentTools.run("mktorrent", "-l", "18", "-a", tracker.announceUrl(), "-o", torrent.toString(),
        seedDir.resolve("set").toString());
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

  private String magnet() {
    return "magnet:?xt=urn:btih:" + infohash + "&dn=set&tr="
        + URLEncoder.encode(tracker.announceUrl(), StandardCharsets.UTF_8);
  }

  private static BuildResult fetch(SampleProject project, String source, String sha, ArtifactCache cache) {
    return project.build("pierdat:fetch")
        .property("source", source)
        .property("sha", sha)
        .property("pierdat.cacheDirectory", cache.toString())
        .timeout(Duration.ofMinutes(4))
        .run();
  }

  @Test
  void buildFetchesTheMiddleFileOfAMultiFileTorrentNamedByTheSourcesFileFragment() throws Exception {
    ArtifactCache cache = ArtifactCache.fresh("bt-multi-ok");
    SampleProject project = SampleProject.copy("bittorrent");
    String sha = Sha256.hex(MIDDLE);
    BuildResult result = fetch(project, magnet() + "#file=b/model.bin", sha, cache).assertSucceeded();

    ArtifactEntry entry = project.pierDat().artifacts().get(0);
    assertEquals(sha, entry.sha256());
    assertEquals(MIDDLE.length, entry.size());
    List<Path> cached = cache.filesUnder("sha256");
    assertEquals(1, cached.size(), cached.toString());
    assertEquals(sha, Sha256.hex(cached.get(0)));
    assertEquals(1, result.linesContaining("file [1] b/model.bin (" + MIDDLE.length + " bytes) of 3 files").size(),
        result.tail(40));
    // Only the pieces overlapping the middle file came from the seeder: pieces 3..5 of 11.
    long overlapping = (long) ((FIRST.length + MIDDLE.length - 1) / PIECE - FIRST.length / PIECE + 1) * PIECE;
    java.util.regex.Matcher received = result.find("bittorrent " + infohash + " \\(set\\): " + MIDDLE.length
        + " bytes in \\d+ ms from (incoming )?127\\.0\\.0\\.1:\\d+ \\((\\d+) bytes\\)");
    long bytes = Long.parseLong(received.group(2));
    assertTrue(bytes <= overlapping, bytes + " bytes received; the pieces overlapping the file are " + overlapping);
  }

  @Test
  void multiFileTorrentWithoutANamedFileFailsTheBuildListingItsFiles() throws Exception {
    ArtifactCache cache = ArtifactCache.fresh("bt-multi-none");
    BuildResult result = fetch(SampleProject.copy("bittorrent"), magnet(), Sha256.hex(MIDDLE), cache)
        .assertPluginFailed();
    String errors = result.errors();
    assertTrue(errors.contains("torrent " + infohash + " (set) has 3 files and the source names none; add"
        + " #file=<path>"), errors);
    assertTrue(errors.contains("[0] a.bin (" + FIRST.length + " bytes), [1] b/model.bin (" + MIDDLE.length
        + " bytes), [2] c.bin (" + LAST.length + " bytes)"), errors);
    assertEquals(List.of(), cache.filesUnder("sha256"));
  }
}
