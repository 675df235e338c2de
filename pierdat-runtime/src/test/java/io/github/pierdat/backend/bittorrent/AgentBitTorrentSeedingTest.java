package io.github.pierdat.backend.bittorrent;

import static io.github.pierdat.testing.AgentRun.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.bittorrent.metainfo.InfoHash;
import io.github.pierdat.backend.bittorrent.metainfo.MagnetLink;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.testing.AgentRun;
import io.github.pierdat.testing.FileTarget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent (a real child JVM) seeding its artifacts over BitTorrent through the Seeder SPI. */
@Timeout(180)
class AgentBitTorrentSeedingTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private int httpPort;
  private int btPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void ports() throws IOException {
    httpPort = TestData.freePort();
    btPort = TestData.freePort();
  }

  /** An artifact whose torrent is written where its seed entry says, as the image build does. */
  private ArtifactEntry artifact(String name, long size, long seed) throws IOException {
    Path file = TestData.randomFile(dir.resolve("data/" + name), size, seed);
    ArtifactEntry bare = new ArtifactEntry(name, file.toString(), size, TestData.sha256(file), List.of(), List.of());
    BitTorrentBackend backend = new BitTorrentBackend();
    SeedEntry spec = backend.seedSpec(bare, file).orElseThrow();
    Path torrent = dir.resolve("torrents/" + spec.param("infohash") + ".torrent");
    Files.createDirectories(torrent.getParent());
    Files.write(torrent, backend.torrentBytes(bare, file));
    Map<String, String> params = new HashMap<>(spec.params());
    params.put("torrent", torrent.toString());
    return new ArtifactEntry(name, file.toString(), size, bare.sha256(), List.of(),
        List.of(new SeedEntry("http", Map.of("path", "/artifacts/" + bare.sha256())),
            new SeedEntry(BitTorrentBackend.NAME, params)));
  }

  private Path pierDat(List<ArtifactEntry> artifacts, List<String> trackers) throws IOException {
    AgentSettings settings = new AgentSettings(AgentSettings.DEFAULT_HTTP_PORT, AgentSettings.DEFAULT_BT_PORT,
        "0.0.0.0", null, 0, null, null, trackers, null);
    Path file = dir.resolve("pier.dat");
    PierDatCodec.write(new PierDat(PierDat.CURRENT_VERSION, settings, AppCommand.none(), artifacts), file);
    return file;
  }

  private AgentRun agent(Path pierDat, String... more) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("PIERDAT_CONFIG", pierDat.toString());
    env.put("PIERDAT_HTTP_PORT", Integer.toString(httpPort));
    env.put("PIERDAT_BT_PORT", Integer.toString(btPort));
    env.put("PIERDAT_BIND", "127.0.0.1");
    env.put("PIERDAT_LOG", "info");
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return AgentRun.start(dir, env, "run");
  }

  private String metrics() {
    try {
      return new String(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray()).body());
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private long metric(String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(metrics());
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static boolean stderrHas(AgentRun run, String text) {
    try {
      return run.stderr().contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** Fetches {@code artifact} with pierdat's own BitTorrent backend from the agent as a direct peer. */
  private Path fetchFromAgent(ArtifactEntry artifact) throws Exception {
    InfoHash hash = InfoHash.parse(artifact.seed(BitTorrentBackend.NAME).orElseThrow().param("infohash"));
    URI magnet = MagnetLink.of(hash).withPeers(List.of("127.0.0.1:" + btPort)).toUri();
    Path fetched = dir.resolve("fetched/" + artifact.name());
    Files.createDirectories(fetched.getParent());
    try (FileTarget target = new FileTarget(fetched, true)) {
      new BitTorrentBackend().fetch(magnet, target, FetchContext.builder()
          .option(BitTorrentOptions.BIND, "127.0.0.1").option(BitTorrentOptions.STALL_TIMEOUT, "20").build());
    }
    return fetched;
  }

  @Test
  void agentSeedsEveryArtifactFromOnePortAndCountsTheBytesInItsMetrics() throws Exception {
    List<ArtifactEntry> artifacts = List.of(artifact("one.bin", 1_500_000, 1), artifact("two.bin", 700_000, 2));
    try (AgentRun run = agent(pierDat(artifacts, List.of()))) {
      await("the BitTorrent seeder", WAIT, () -> stderrHas(run, "bittorrent seeder running"));
      for (ArtifactEntry artifact : artifacts) {
        Path fetched = fetchFromAgent(artifact);
        assertEquals(artifact.sha256(), TestData.sha256(fetched), artifact.name());
        long served = metric("pierdat_bytes_served_total\\{artifact=\"" + artifact.name()
            + "\",backend=\"bittorrent\"} (\\d+)");
        assertTrue(served >= artifact.size(), artifact.name() + " served " + served + "\n" + metrics());
      }
      assertEquals(1, metric("pierdat_seeder_up\\{backend=\"bittorrent\"} (\\d+)"), metrics());
      run.signal("TERM");
      assertEquals(0, run.exitCode(WAIT));
      String stderr = run.stderr();
      assertFalse(stderr.contains("ERROR"), stderr);
      assertFalse(stderr.contains("Exception"), stderr);
    }
  }

  @Test
  void dhtOnJoinsTheDhtOnTheBitTorrentPortNumberAndStillServesDirectPeers() throws Exception {
    ArtifactEntry artifact = artifact("dht.bin", 300_000, 6);
    try (AgentRun run = agent(pierDat(List.of(artifact), List.of()), "PIERDAT_DHT", "on")) {
      await("the BitTorrent seeder", WAIT, () -> stderrHas(run, "bittorrent seeder running"));
      assertTrue(run.stderr().contains("DHT node on UDP port " + btPort), run.stderr());
      assertEquals(artifact.sha256(), TestData.sha256(fetchFromAgent(artifact)));
    }
  }

  @Test
  void dhtIsOffByDefault() throws Exception {
    ArtifactEntry artifact = artifact("nodht.bin", 100_000, 7);
    try (AgentRun run = agent(pierDat(List.of(artifact), List.of()))) {
      await("the BitTorrent seeder", WAIT, () -> stderrHas(run, "bittorrent seeder running"));
      assertFalse(run.stderr().contains("DHT node"), run.stderr());
    }
  }

  @Test
  void bitTorrentUploadsTakeTheirShareOfTheAgentsUploadLimit() throws Exception {
    ArtifactEntry artifact = artifact("limited.bin", 1_000_000, 3);
    try (AgentRun run = agent(pierDat(List.of(artifact), List.of()), "PIERDAT_UPLOAD_LIMIT", "256k")) {
      await("the BitTorrent seeder", WAIT, () -> stderrHas(run, "bittorrent seeder running"));
      long started = System.nanoTime();
      Path fetched = fetchFromAgent(artifact);
      double seconds = (System.nanoTime() - started) / 1e9;
      assertEquals(artifact.sha256(), TestData.sha256(fetched));
      // 1 MB at 256 KiB/s takes ~3.7 s (less a 0.1 s burst); unlimited it takes well under a second here.
      assertTrue(seconds >= 3.0, "took " + seconds + " s at 256 KiB/s");
    }
  }

  @Test
  void watchdogRestartsACrashedBitTorrentSeederOnTheSamePort() throws Exception {
    ArtifactEntry artifact = artifact("restart.bin", 300_000, 4);
    // The fault fires after every start, so a second fault proves the restart bound the port and ran.
    try (AgentRun run = agent(pierDat(List.of(artifact), List.of()),
        "PIERDAT_TEST_FAULTS", "bittorrent-crash-after:1s")) {
      await("two restarts of the BitTorrent seeder", WAIT,
          () -> metric("pierdat_seeder_restarts_total\\{backend=\"bittorrent\"} (\\d+)") >= 2);
      String stderr = run.stderr();
      assertTrue(stderr.contains("bittorrent seeder failed: test fault: crashed 1000 ms after start; restart #2"),
          stderr);
      assertFalse(stderr.contains("cannot start"), stderr);
    }
  }

  @Test
  void settingsTrackersJoinEachTorrentsAnnounceListWithoutChangingItsInfohash() throws Exception {
    ArtifactEntry artifact = artifact("trackers.bin", 100_000, 5);
    SeedEntry seed = artifact.seed(BitTorrentBackend.NAME).orElseThrow();
    byte[] merged = AgentTorrents.torrent(new io.github.pierdat.backend.SeededArtifact(artifact,
        Path.of(artifact.path()), seed), List.of("udp://127.0.0.1:6969/announce"));
    TorrentMetainfo meta = TorrentMetainfo.parse(merged);
    assertEquals(seed.param("infohash"), meta.infoHash().hex());
    assertEquals(List.of("udp://127.0.0.1:6969/announce"), meta.trackerUrls());
  }

  @Test
  void artifactWhoseTorrentHasAnotherInfohashIsNotSeededAndSaysWhy() throws Exception {
    ArtifactEntry good = artifact("good.bin", 100_000, 6);
    ArtifactEntry other = artifact("other.bin", 100_000, 7);
    Map<String, String> params = new HashMap<>(other.seed(BitTorrentBackend.NAME).orElseThrow().params());
    params.put("torrent", good.seed(BitTorrentBackend.NAME).orElseThrow().param("torrent"));
    List<SeedEntry> seeds = new ArrayList<>(List.of(new SeedEntry(BitTorrentBackend.NAME, params)));
    ArtifactEntry wrong = new ArtifactEntry(other.name(), other.path(), other.size(), other.sha256(), List.of(), seeds);
    try (AgentRun run = agent(pierDat(List.of(good, wrong), List.of()))) {
      await("the BitTorrent seeder", WAIT, () -> stderrHas(run, "bittorrent seeder running"));
      String stderr = run.stderr();
      assertTrue(stderr.contains("NOT SEEDING artifact other.bin over BitTorrent: torrent "), stderr);
      assertTrue(stderr.contains("but pier.dat records " + params.get("infohash")), stderr);
      assertEquals(good.sha256(), TestData.sha256(fetchFromAgent(good)));
    }
  }
}
