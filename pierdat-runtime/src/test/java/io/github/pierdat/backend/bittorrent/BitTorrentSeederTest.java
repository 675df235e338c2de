package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.bittorrent.metainfo.InfoHash;
import io.github.pierdat.backend.bittorrent.metainfo.MagnetLink;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMaker;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.testing.FileTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class BitTorrentSeederTest {

  private static final long SIZE = 3 * 1024 * 1024 + 777;

  @TempDir Path dir;
  private final List<Path> lockedDirs = new ArrayList<>();

  @AfterEach
  void unlock() throws IOException {
    for (Path d : lockedDirs) {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /** A 0444 file in a 0555 directory, as pierdat bakes artifacts into an image. */
  private Path readOnlyArtifact(String name, long seed) throws IOException {
    Path data = TestData.randomFile(dir.resolve("image/data/" + name), SIZE, seed);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r--r--r--"));
    Files.setPosixFilePermissions(data.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));
    lockedDirs.add(data.getParent());
    return data;
  }

  /**
   * Starts {@link SeederMain} in a child JVM, optionally pinned to CPU 0 with taskset, always without the
   * capabilities that let root write read-only files (so it meets the file as a non-root process would).
   */
  private Process childSeeder(Path torrent, Path data, boolean oneCpu) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (oneCpu) {
      cmd.addAll(List.of("taskset", "-c", "0"));
    }
    cmd.addAll(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:ActiveProcessorCount=" + (oneCpu ? 1 : 2), "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), SeederMain.class.getName(),
        torrent.toString(), data.toString()));
    return new ProcessBuilder(cmd).redirectError(dir.resolve("child-seeder.err").toFile()).start();
  }

  private static int awaitSeeding(Process child, BufferedReader out) throws IOException {
    String line = out.readLine();
    if (line == null || !line.startsWith("SEEDING ")) {
      throw new AssertionError("child seeder did not start: " + line);
    }
    return Integer.parseInt(line.substring(8).trim());
  }

  private static String stop(Process child, BufferedReader out) throws Exception {
    child.getOutputStream().close();
    String line = out.readLine();
    if (!child.waitFor(20, TimeUnit.SECONDS)) {
      child.destroyForcibly();
    }
    return line;
  }

  @Test
  void seedsAReadOnlyFileToAnAria2LeecherThroughTheTracker() throws Exception {
    Path data = readOnlyArtifact("model.bin", 1);
    String before = TestData.sha256(data);
    long mtime = Files.getLastModifiedTime(data).toMillis();
    try (Swarm swarm = new Swarm(dir)) {
      InfoHash hash = TorrentMetainfo.parse(TorrentMaker.forFile(data).make()).infoHash();
      String tracker = swarm.startTracker(hash);
      Path torrent = Files.write(dir.resolve("model.torrent"),
          TorrentMaker.forFile(data).trackers(List.of(tracker)).make());
      Process child = childSeeder(torrent, data, false);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        awaitSeeding(child, out);
        Path downloads = dir.resolve("leecher");
        ExternalProcess leecher = swarm.aria2Leecher(torrent, downloads, 60);
        assertEquals(0, leecher.waitFor(90), () -> {
          try {
            return "aria2c failed:\n" + leecher.log() + "\nseeder:\n" + Files.readString(dir.resolve("child-seeder.err"));
          } catch (IOException e) {
            return e.toString();
          }
        });
        assertEquals(before, TestData.sha256(downloads.resolve("model.bin")));
        String summary = stop(child, out);
        assertTrue(summary.startsWith("UPLOADED "), summary);
        assertTrue(Long.parseLong(summary.split(" ")[1]) >= SIZE, summary);
        assertTrue(summary.endsWith("PROBLEMS []"), summary);
      } finally {
        child.destroy();
      }
    }
    assertEquals(before, TestData.sha256(data));
    assertEquals(mtime, Files.getLastModifiedTime(data).toMillis());
  }

  @Test
  void seederPinnedToOneCpuStillServesAPeer() throws Exception {
    Path data = readOnlyArtifact("one-cpu.bin", 2);
    byte[] torrentBytes = TorrentMaker.forFile(data).make();
    InfoHash hash = TorrentMetainfo.parse(torrentBytes).infoHash();
    Path torrent = Files.write(dir.resolve("one-cpu.torrent"), torrentBytes);
    Process child = childSeeder(torrent, data, true);
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      int port = awaitSeeding(child, out);
      URI magnet = MagnetLink.of(hash).withPeers(List.of("127.0.0.1:" + port)).toUri();
      Path fetched = dir.resolve("fetched.bin");
      try (FileTarget target = new FileTarget(fetched, true)) {
        new BitTorrentBackend().fetch(magnet, target, FetchContext.builder()
            .option(BitTorrentOptions.BIND, "127.0.0.1").option(BitTorrentOptions.STALL_TIMEOUT, "20").build());
      }
      assertEquals(TestData.sha256(data), TestData.sha256(fetched));
      String summary = stop(child, out);
      assertTrue(Long.parseLong(summary.split(" ")[1]) >= SIZE, summary);
    } finally {
      child.destroy();
    }
  }

  @Test
  void refusesToStartOnATakenPortNamingIt() throws Exception {
    Path data = TestData.randomFile(dir.resolve("x.bin"), 1000, 3);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        BitTorrentSeeder seeder = BitTorrentSeeder.builder().bind(InetAddress.getLoopbackAddress())
            .port(taken.getLocalPort()).seed(TorrentMaker.forFile(data).make(), data).build()) {
      IOException e = assertThrows(IOException.class, seeder::start);
      assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
    }
  }

  @Test
  void refusesToStartWhenTheFileDoesNotHaveTheTorrentsSize() throws Exception {
    Path data = TestData.randomFile(dir.resolve("x.bin"), 1000, 3);
    byte[] torrent = TorrentMaker.forFile(data).make();
    Files.write(data, new byte[10]);
    try (BitTorrentSeeder seeder = BitTorrentSeeder.builder().port(0).seed(torrent, data).build()) {
      IOException e = assertThrows(IOException.class, seeder::start);
      assertTrue(e.getMessage().contains("has 10 bytes but its torrent"), e.getMessage());
    }
  }

  @Test
  void seedSpecRecordsInfohashMagnetTorrentPathAndPieceLength() throws Exception {
    Path data = TestData.randomFile(dir.resolve("cache/abc"), 1_000_000, 9);
    ArtifactEntry artifact = new ArtifactEntry(null, "/data/model.bin", 1_000_000, TestData.sha256(data),
        List.of("https://origin.example/model.bin", "file:/tmp/x"), null);
    BitTorrentBackend backend = new BitTorrentBackend(List.of("http://tracker.example:6969/announce"));
    SeedEntry spec = backend.seedSpec(artifact, data).orElseThrow();
    byte[] torrent = backend.torrentBytes(artifact, data);
    TorrentMetainfo meta = TorrentMetainfo.parse(torrent);

    assertEquals("bittorrent", spec.backend());
    assertEquals(meta.infoHash().hex(), spec.param("infohash"));
    assertEquals("/opt/pierdat/torrents/" + meta.infoHash().hex() + ".torrent", spec.param("torrent"));
    assertEquals("262144", spec.param("pieceLength"));
    MagnetLink magnet = MagnetLink.parse(spec.param("magnet"));
    assertEquals(meta.infoHash(), magnet.infoHash());
    assertEquals(List.of("http://tracker.example:6969/announce"), magnet.trackers());
    assertEquals("model.bin", meta.name());
    assertEquals(List.of("https://origin.example/model.bin"), meta.webSeeds());
    assertEquals(List.of(List.of("http://tracker.example:6969/announce")), meta.trackers());
  }
}
