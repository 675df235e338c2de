package io.github.pierdat.it.image;

import static io.github.pierdat.it.image.ImageChecks.assertAgentEntrypoint;
import static io.github.pierdat.it.image.ImageChecks.assertArtifactLabels;
import static io.github.pierdat.it.image.ImageChecks.assertArtifactLayer;
import static io.github.pierdat.it.image.ImageChecks.assertPierdatLayers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.Fixtures;
import io.github.pierdat.it.fixture.ImageConfig;
import io.github.pierdat.it.fixture.ImageLayer;
import io.github.pierdat.it.fixture.JavaBaseImage;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.Registry;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code pierdat:build} from the Java base image in a real registry, with an artifact from a real HTTP
 * origin, pushed to that registry; the image is read back from the registry (manifest, config, blobs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildPushIT {

  private static final String PATH = "/models/model.bin";
  private static final byte[] DATA = TestData.random(3 * 1024 * 1024, 301);
  private static final String SHA = Sha256.hex(DATA);
  /** The base's own command, which the agent must keep as the image's cmd. */
  private static final List<String> BASE_CMD = List.of("sh", "-c", "echo app started");

  private Registry registry;
  private Origin origin;
  private SampleProject project;
  private BuildResult result;
  private Registry.Manifest manifest;
  private ImageConfig config;
  private List<ImageLayer> layers;
  private String baseLayerDigest;

  @BeforeAll
  void build() {
    registry = Registry.start();
    origin = Origin.start().serve("/model.bin", DATA);
    JavaBaseImage base = JavaBaseImage.get();
    baseLayerDigest = "sha256:" + Sha256.hex(base.layer());
    String from = base.pushTo(registry, "base/java-app:17", BASE_CMD);
    project = SampleProject.copy("build-http");
    result = project.build("pierdat:build")
        .property("registry", registry.address())
        .property("origin", origin.base())
        .property("sha", SHA)
        .property("from", from)
        .property("pierdat.to.tags", "extra")
        .property("pierdat.cacheDirectory", ArtifactCache.fresh("push").toString())
        .run()
        .assertSucceeded();
    manifest = registry.manifest("it/build-http", "1.0");
    config = registry.config(manifest);
    layers = registry.layers(manifest);
  }

  @AfterAll
  void stop() {
    Fixtures.closeAll(origin, registry);
  }


  @Test
  void pushesArtifactLayerHoldingExactlyTheOriginBytes() {
    assertArtifactLayer(layers.get(1), PATH, DATA);
    assertEquals(DATA.length, origin.bytesServed("/model.bin"), "downloaded once");
  }

  @Test
  void keepsTheBaseLayerUnderTheArtifactAndPierdatLayers() {
    assertEquals(baseLayerDigest, manifest.layerDigests().get(0), "layers: " + manifest.layerDigests());
    assertPierdatLayers(layers.subList(2, layers.size()), ImageChecks.read(project.pierDatFile()));
  }

  @Test
  void makesTheAgentTheEntrypointAndKeepsTheBaseCmd() {
    assertAgentEntrypoint(config);
    assertEquals(BASE_CMD, config.cmd());
    assertEquals(BASE_CMD, project.pierDat().app().cmd());
    assertTrue(config.env().stream().anyMatch(e -> e.startsWith("PATH=") && e.contains(JavaBaseImage.JAVA_HOME)),
        "base environment kept: " + config.env());
  }

  @Test
  void recordsTheArtifactInPierDatAndLabels() {
    PierDat pierDat = project.pierDat();
    ArtifactEntry artifact = pierDat.artifacts().get(0);

    assertEquals(PATH, artifact.path());
    assertEquals(SHA, artifact.sha256());
    assertEquals(DATA.length, artifact.size());
    assertEquals(List.of(origin.url("/model.bin")), artifact.sources());
    assertTrue(artifact.seed("http").isPresent(), "no http seed entry: " + artifact.seeds());
    assertArtifactLabels(config.labels(), PATH, DATA, "model.bin");
  }

  @Test
  void reportsTheDigestTheRegistryHas() {
    String logged = result.find(PierdatLog.builtImage()).group(2);

    assertEquals(manifest.digest(), project.imageDigest());
    assertEquals(manifest.digest(), logged);
  }

  @Test
  void pushesExtraTagsToTheSameImage() {
    assertEquals(manifest.digest(), registry.manifest("it/build-http", "extra").digest());
  }

  @Test
  void logsTheOriginTheBytesCameFrom() {
    result.find(PierdatLog.fetched("model.bin", origin.url("/model.bin"), SHA));
  }
}
