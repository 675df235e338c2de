package io.github.pierdat.it.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.agent.AgentContainer;
import io.github.pierdat.it.agent.AgentImage;
import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.Fixtures;
import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.Http;
import io.github.pierdat.it.fixture.ItEnvironment;
import io.github.pierdat.it.fixture.MavenBuild;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import io.github.pierdat.manifest.SeedEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Swarm scale: N builders (separate Maven processes, caches and target directories, each on its own BitTorrent
 * port) fetch the same artifact at once. The artifact lists a magnet first, whose peers ({@code x.pe}) are one
 * running pierdat container seeding it and the other builders, and a counting HTTP origin second. The origin must
 * serve at most 1.5 copies in all; the same N builds with only the origin (plain HTTP) take N copies from it.
 * Origin bytes, the seed's upload and the wall time of each round go to {@code target/swarm-scale.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class SwarmScaleIT {

  /** 12 MiB: 48 pieces of 256 KiB. */
  private static final byte[] DATA = TestData.random(12 * 1024 * 1024, 821);
  private static final String SHA = Sha256.hex(DATA);
  /** The seed's upload limit: less than N builders want at once, so they also trade pieces among themselves. */
  private static final String SEED_UPLOAD_LIMIT = "8M";
  private static final Pattern SEED_SERVED =
      Pattern.compile("pierdat_bytes_served_total\\{artifact=\"model\\.bin\",backend=\"bittorrent\"} (\\d+)");

  private AgentImage image;
  private AgentContainer seed;
  private String seedPeer;
  private String magnet;
  private String infohash;
  private final List<Row> rows = new ArrayList<>();

  /** One round of N concurrent builds. */
  private record Row(int builders, String sources, long originBytes, long seedBytes, long builderBytes,
      Duration wall) {

    double originCopies() {
      return originBytes / (double) DATA.length;
    }
  }

  @BeforeAll
  void runOneSeedingContainer() {
    image = AgentImage.build("bt-scale", DATA);
    int btPort = FreePort.find();
    seed = AgentContainer.of(image)
        .env("PIERDAT_BT_PORT", Integer.toString(btPort))
        .env("PIERDAT_UPLOAD_LIMIT", SEED_UPLOAD_LIMIT)
        .env("PIERDAT_LOG", "info")
        .start()
        .awaitLog("bittorrent seeder running");
    seedPeer = "127.0.0.1:" + btPort;
    SeedEntry entry = image.artifact().seed("bittorrent")
        .orElseThrow(() -> new AssertionError("no bittorrent seed entry: " + image.artifact()));
    magnet = entry.param("magnet");
    infohash = entry.param("infohash");
  }

  @AfterAll
  void writeTableAndStop() throws IOException {
    try {
      if (!rows.isEmpty()) {
        String table = table();
        System.out.println(table);
        Files.writeString(ItEnvironment.work().resolveSibling("swarm-scale.md"), table, StandardCharsets.UTF_8);
      }
    } finally {
      Fixtures.closeAll(seed, image);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {4, 8})
  @Order(1)
  void concurrentSwarmBuildsTakeAtMostOneAndAHalfCopiesFromTheOrigin(int n) {
    try (Origin origin = Origin.start().serve("/model.bin", DATA)) {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ports.add(FreePort.find());
      }
      List<ArtifactCache> caches = new ArrayList<>();
      List<MavenBuild> builds = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        StringBuilder source = new StringBuilder(magnet).append("&x.pe=").append(seedPeer);
        for (int j = 0; j < n; j++) {
          if (j != i) {
            source.append("&x.pe=127.0.0.1:").append(ports.get(j));
          }
        }
        ArtifactCache cache = ArtifactCache.fresh("scale-bt-" + n + "-" + i);
        caches.add(cache);
        builds.add(SampleProject.copy("bittorrent-fallback").build("pierdat:fetch")
            .property("source", source.toString())
            .property("fallback", origin.url("/model.bin"))
            .property("sha", SHA)
            .property("pierdat.bittorrent.bind", "127.0.0.1")
            .property("pierdat.bittorrent.port", Integer.toString(ports.get(i)))
            .property("pierdat.bittorrent.stallTimeout", "15")
            .property("pierdat.cacheDirectory", cache.toString())
            .timeout(Duration.ofMinutes(4)));
      }
      long seedBefore = seedBytesServed();
      Round round = Round.run(builds);

      long fromBuilders = 0;
      for (int i = 0; i < n; i++) {
        BuildResult result = round.results().get(i).assertSucceeded();
        assertCached(caches.get(i));
        // A swarm download that stalled and was completed from the origin logs another line: this one must be there.
        Map<String, Long> byPeer = SwarmFetchLog.bytesByPeer(result, infohash, DATA.length);
        fromBuilders += byPeer.entrySet().stream().filter(e -> !e.getKey().equals(seedPeer))
            .mapToLong(Map.Entry::getValue).sum();
      }
      long originBytes = origin.bytesServed("/model.bin");
      Row row = new Row(n, "magnet (seed + builders), then origin", originBytes, seedBytesServed() - seedBefore,
          fromBuilders, round.wall());
      rows.add(row);
      assertTrue(row.originCopies() <= 1.5, "origin served " + originBytes + " bytes = " + row.originCopies()
          + " copies for " + n + " builders; requests: " + origin.gets("/model.bin"));
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {4, 8})
  @Order(2)
  void concurrentPlainHttpBuildsTakeOneCopyEachFromTheOrigin(int n) {
    try (Origin origin = Origin.start().serve("/model.bin", DATA)) {
      List<ArtifactCache> caches = new ArrayList<>();
      List<MavenBuild> builds = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ArtifactCache cache = ArtifactCache.fresh("scale-http-" + n + "-" + i);
        caches.add(cache);
        builds.add(SampleProject.copy("build-http").build("pierdat:fetch")
            .property("origin", origin.base())
            .property("sha", SHA)
            .property("pierdat.cacheDirectory", cache.toString())
            .timeout(Duration.ofMinutes(4)));
      }
      Round round = Round.run(builds);

      for (int i = 0; i < n; i++) {
        round.results().get(i).assertSucceeded();
        assertCached(caches.get(i));
      }
      long originBytes = origin.bytesServed("/model.bin");
      rows.add(new Row(n, "origin only (plain HTTP)", originBytes, 0, 0, round.wall()));
      assertEquals((long) n * DATA.length, originBytes, "one copy per builder");
    }
  }

  /** N builds started together and awaited. */
  private record Round(List<BuildResult> results, Duration wall) {

    static Round run(List<MavenBuild> builds) {
      long started = System.nanoTime();
      List<MavenBuild.Running> running = builds.stream().map(MavenBuild::start).toList();
      List<BuildResult> results = running.stream().map(MavenBuild.Running::await).toList();
      return new Round(results, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  private static void assertCached(ArtifactCache cache) {
    cache.assertConsistent();
    Map<String, Path> verified = cache.verified();
    assertEquals(List.of(SHA), List.copyOf(verified.keySet()), "cache " + cache);
    assertEquals(SHA, Sha256.hex(verified.get(SHA)), "sha256 of the cached file in " + cache);
  }

  /** What the seed container's metrics say it uploaded over BitTorrent. */
  private long seedBytesServed() {
    String metrics = new String(Http.get("http://127.0.0.1:" + seed.port() + "/metrics"), StandardCharsets.UTF_8);
    Matcher m = SEED_SERVED.matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private String table() {
    StringBuilder t = new StringBuilder();
    t.append(String.format("Swarm scale: N concurrent pierdat:fetch builds of one %d-byte (%.0f MiB) artifact;"
        + " one seed container, upload limit %s/s%n%n", DATA.length, DATA.length / 1048576.0, SEED_UPLOAD_LIMIT));
    t.append("| N | sources | origin bytes | origin ÷ size | seed uploaded ÷ size | builders traded ÷ size | wall time |\n");
    t.append("|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      t.append(String.format("| %d | %s | %d | %.2f | %.2f | %.2f | %.1f s |%n", r.builders(), r.sources(),
          r.originBytes(), r.originCopies(), r.seedBytes() / (double) DATA.length,
          r.builderBytes() / (double) DATA.length, r.wall().toMillis() / 1000.0));
    }
    return t.toString();
  }
}
