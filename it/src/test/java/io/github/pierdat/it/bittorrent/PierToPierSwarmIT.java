package io.github.pierdat.it.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.agent.AgentContainer;
import io.github.pierdat.it.agent.AgentImage;
import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.Fixtures;
import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import io.github.pierdat.manifest.SeedEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Pier to pier over BitTorrent: two hardened containers of the same pierdat image seed its artifact (BitTorrent
 * seeding is on by default); a new build whose origin is unreachable fetches the artifact from the swarm of both
 * containers, named as direct peers in the magnet ({@code x.pe}). Each container's upload is limited, so that
 * neither can serve the whole file before the other is asked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class PierToPierSwarmIT {

  /** 16 MiB: 64 pieces of 256 KiB. */
  private static final byte[] DATA = TestData.random(16 * 1024 * 1024, 811);
  /** Per container: together ~8 MiB/s, so the download takes ~2 s and both serve pieces. */
  private static final String UPLOAD_LIMIT = "4M";

  private AgentImage image;
  private AgentContainer first;
  private AgentContainer second;
  private int firstBtPort;
  private int secondBtPort;

  @BeforeAll
  void runTwoSeedingContainers() {
    image = AgentImage.build("bt-pier", DATA);
    firstBtPort = FreePort.find();
    first = seeder(firstBtPort);
    secondBtPort = FreePort.find();
    second = seeder(secondBtPort);
    first.awaitLog("bittorrent seeder running");
    second.awaitLog("bittorrent seeder running");
  }

  private AgentContainer seeder(int btPort) {
    return AgentContainer.of(image)
        .env("PIERDAT_BT_PORT", Integer.toString(btPort))
        .env("PIERDAT_UPLOAD_LIMIT", UPLOAD_LIMIT)
        .env("PIERDAT_LOG", "info")
        .start();
  }

  @AfterAll
  void stop() {
    Fixtures.closeAll(first, second, image);
  }

  @Test
  void buildWithTheOriginUnreachableFetchesOverBitTorrentFromBothContainersAndLogsBytesFromEach() {
    SeedEntry seed = image.artifact().seed("bittorrent")
        .orElseThrow(() -> new AssertionError("no bittorrent seed entry: " + image.artifact()));
    String infohash = seed.param("infohash");
    String magnet = seed.param("magnet") + "&x.pe=127.0.0.1:" + firstBtPort + "&x.pe=127.0.0.1:" + secondBtPort;
    ArtifactCache cache = ArtifactCache.fresh("bt-pier-copy");

    BuildResult result = SampleProject.copy("bittorrent-fallback").build("pierdat:fetch")
        .property("source", magnet)
        .property("fallback", Origin.unreachableUrl("/model.bin"))
        .property("sha", image.sha256())
        .property("pierdat.bittorrent.bind", "127.0.0.1")
        .property("pierdat.cacheDirectory", cache.toString())
        .timeout(Duration.ofMinutes(4))
        .run()
        .assertSucceeded();

    cache.assertConsistent();
    Map<String, Path> verified = cache.verified();
    assertEquals(List.of(image.sha256()), List.copyOf(verified.keySet()));
    assertEquals(image.sha256(), Sha256.hex(verified.get(image.sha256())));

    Map<String, Long> byPeer = SwarmFetchLog.bytesByPeer(result, infohash, DATA.length);
    String a = "127.0.0.1:" + firstBtPort;
    String b = "127.0.0.1:" + secondBtPort;
    assertEquals(Set.of(a, b), byPeer.keySet(), "peers the log names: " + byPeer);
    assertTrue(byPeer.get(a) > 0 && byPeer.get(b) > 0, "bytes from each container: " + byPeer);
    assertTrue(byPeer.get(a) + byPeer.get(b) >= DATA.length, "the swarm delivered the whole file: " + byPeer);
  }
}
