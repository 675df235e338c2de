package io.github.pierdat.it.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.Fixtures;
import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.Http;
import io.github.pierdat.it.fixture.ImageLayer;
import io.github.pierdat.it.fixture.JavaBaseImage;
import io.github.pierdat.it.fixture.MavenBuild;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.Podman;
import io.github.pierdat.it.fixture.Registry;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TarEntry;
import io.github.pierdat.it.fixture.TestData;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Pier to pier: an image built with {@code pierdat:build} runs in podman (non-root, read-only root file system,
 * host network) and seeds its artifact; with the origin stopped, further builds of an image with the same
 * artifact fetch it from that container as a peer. A peer that serves other bytes is rejected and the next
 * peer serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeerToPeerIT {

  private static final String PATH = "/models/model.bin";
  private static final byte[] DATA = TestData.random(3 * 1024 * 1024, 303);
  private static final String SHA = Sha256.hex(DATA);

  private Registry registry;
  private Origin origin;
  private Podman podman;
  private String from;
  private String container;
  private int agentPort;

  @BeforeAll
  void runASeedingContainerAndStopTheOrigin() {
    registry = Registry.start();
    origin = Origin.start().serve("/model.bin", DATA);
    from = JavaBaseImage.get().pushTo(registry, "base/java:17");
    String seed = registry.reference("it/peer-seed:1.0");
    build("build-http", "seed").property("to", seed).run().assertSucceeded();

    podman = Podman.start();
    podman.pull(seed);
    agentPort = FreePort.find();
    // No command: a data-only image whose agent seeds until stopped.
    container = podman.start("it-peer-" + agentPort, List.of("--read-only", "--user", "1000",
        "-e", "PIERDAT_HTTP_PORT=" + agentPort, "-e", "PIERDAT_BACKENDS=http"), seed);
    Http.awaitOk(agentUrl("/artifacts/" + SHA), Duration.ofSeconds(60), () -> podman.logs(container));

    origin.close();
  }

  @AfterAll
  void stop() {
    Fixtures.closeAll(podman, origin, registry);
  }


  @Test
  void secondBuildWithTheOriginStoppedFetchesFromTheRunningContainerAndNamesIt() {
    String to = registry.reference("it/peer-copy:1.0");

    BuildResult result = build("build-http", "copy").property("to", to)
        .property("pierdat.peers", "127.0.0.1:" + agentPort).run().assertSucceeded();

    result.find(fetchedFrom(Pattern.quote("peer 127.0.0.1:" + agentPort)));
    assertArtifactLayerHoldsTheData("it/peer-copy");
  }

  @Test
  void lyingPeerListedFirstIsRejectedAndTheNextPeerServes() {
    String artifactPath = "/artifacts/" + SHA;
    try (Origin liar = Origin.start().serve(artifactPath, TestData.random(DATA.length, 304))) {
      BuildResult result = build("build-peers", "liar")
          .property("to", registry.reference("it/peer-liar:1.0"))
          .property("peer1", "127.0.0.1:" + liar.port())
          .property("peer2", "127.0.0.1:" + agentPort)
          .run().assertSucceeded();

      result.find(Pattern.quote("[pierdat] model.bin: source peer 127.0.0.1:" + liar.port()
          + " failed: sha256 mismatch: expected " + SHA + ", got "));
      result.find(fetchedFrom(Pattern.quote("peer 127.0.0.1:" + agentPort)));
      assertEquals(1, liar.gets(artifactPath).size(), "the lying peer is asked once, not retried");
      assertArtifactLayerHoldsTheData("it/peer-liar");
    }
  }

  @Test
  void dnsLocalhostPeerResolvesToTheRunningContainer() {
    BuildResult result = build("build-http", "dns").property("to", registry.reference("it/peer-dns:1.0"))
        .property("pierdat.peers", "dns:localhost:" + agentPort).run().assertSucceeded();

    result.find(fetchedFrom(Pattern.quote("peer 127.0.0.1:" + agentPort + " (dns:localhost:" + agentPort + ")")));
    assertArtifactLayerHoldsTheData("it/peer-dns");
  }

  private MavenBuild build(String sample, String cache) {
    return SampleProject.copy(sample).build("pierdat:build")
        .property("registry", registry.address())
        .property("origin", origin.base())
        .property("sha", SHA)
        .property("from", from)
        .property("pierdat.cacheDirectory", ArtifactCache.fresh("peers-" + cache).toString());
  }

  /** The build log line of the source that served model.bin. */
  private static String fetchedFrom(String source) {
    return "\\[pierdat\\] model\\.bin: 3\\.00 MiB from " + source + " in .* sha256 " + SHA + "$";
  }

  private void assertArtifactLayerHoldsTheData(String repository) {
    List<ImageLayer> layers = registry.layers(registry.manifest(repository, "1.0"));
    TarEntry entry = layers.get(1).entry(PATH).orElseThrow(() -> new AssertionError("no " + PATH + " in layer 1"));
    assertEquals(SHA, entry.sha256(), "sha256 of " + PATH + " in " + repository);
    assertTrue(layers.get(1).filePaths().equals(List.of(PATH)), "artifact layer: " + layers.get(1).filePaths());
  }

  private String agentUrl(String path) {
    return "http://127.0.0.1:" + agentPort + path;
  }
}
