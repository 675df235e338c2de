package io.github.pierdat.it.image;

import static io.github.pierdat.it.image.ImageChecks.assertAgentEntrypoint;
import static io.github.pierdat.it.image.ImageChecks.assertArtifactLabels;
import static io.github.pierdat.it.image.ImageChecks.assertArtifactLayer;
import static io.github.pierdat.it.image.ImageChecks.assertPierdatLayers;
import static io.github.pierdat.it.image.ImageChecks.labelIndex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.ImageLayer;
import io.github.pierdat.it.fixture.ImageTar;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.TestData;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code pierdat:buildTar} of a data-only image (from scratch) with a {@code file:} source: the image tar
 * is read back and compared with the original bytes, pier.dat and the labels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildTarIT {

  private static final String PATH = "/data/payload.bin";
  private static final byte[] DATA = TestData.random(3 * 1024 * 1024, 101);
  private static final String SHA = Sha256.hex(DATA);

  private SampleProject project;
  private BuildResult result;
  private ImageTar image;
  private ArtifactCache cache;

  @BeforeAll
  void buildTar() {
    project = SampleProject.copy("buildtar-file");
    project.write("data/payload.bin", DATA);
    cache = ArtifactCache.fresh("buildtar");
    result = project.build("pierdat:buildTar")
        .property("sha", SHA)
        .property("pierdat.cacheDirectory", cache.toString())
        .run()
        .assertSucceeded();
    image = ImageTar.read(project.imageTar());
  }

  @Test
  void bakesTheFileAsItsOwnReadOnlyLayerWithTheOriginalBytes() {
    ImageLayer layer = image.layerContaining(PATH).orElseThrow();

    assertArtifactLayer(layer, PATH, DATA);
  }

  @Test
  void stacksTheArtifactLayerFirstAndPierdatLayersOnTopOfIt() {
    List<ImageLayer> layers = image.layers();

    assertEquals(layers.get(0), image.layerContaining(PATH).orElseThrow(), "scratch: the artifact layer comes first");
    assertPierdatLayers(layers.subList(1, layers.size()), ImageChecks.read(project.pierDatFile()));
  }

  @Test
  void writesPierDatWithPathSizeSha256SourceAndHttpSeed() {
    PierDat pierDat = project.pierDat();

    assertEquals(PierDat.CURRENT_VERSION, pierDat.version());
    assertEquals(1, pierDat.artifacts().size());
    ArtifactEntry artifact = pierDat.artifacts().get(0);
    assertEquals(PATH, artifact.path());
    assertEquals("payload.bin", artifact.name());
    assertEquals(DATA.length, artifact.size());
    assertEquals(SHA, artifact.sha256());
    assertEquals(List.of("file:" + project.path("data/payload.bin")), artifact.sources());
    assertTrue(artifact.seed("http").isPresent(), "pier.dat has no http seed entry: " + artifact.seeds());
  }

  @Test
  void labelsTheArtifactWithPathSha256SizeAndName() {
    assertArtifactLabels(image.config().labels(), PATH, DATA, "payload.bin");
  }

  @Test
  void makesTheAgentTheEntrypoint() {
    assertAgentEntrypoint(image.config());
    assertEquals(List.of(), image.config().cmd(), "scratch has no cmd, so the image has none");
  }

  @Test
  void logsWhereTheArtifactCameFromAndTheImageDigest() {
    result.find(PierdatLog.fetched("payload.bin", "file:" + project.path("data/payload.bin"), SHA));
    String digest = result.find(PierdatLog.builtImage()).group(2);

    assertEquals(digest, project.imageDigest());
  }

  @Test
  void keepsTheVerifiedFileInTheContentAddressedCache() {
    cache.assertConsistent();

    assertEquals(List.of(SHA), List.copyOf(cache.verified().keySet()));
  }

  @Test
  void twoArtifactsGetOneLayerEachInDeclarationOrder() {
    byte[] a = TestData.random(1024 * 1024, 201);
    byte[] b = TestData.random(2 * 1024 * 1024, 202);
    try (Origin origin = Origin.start()) {
      origin.serve("/b.bin", b);
      SampleProject two = SampleProject.copy("two-artifacts");
      two.write("data/a.bin", a);
      BuildResult built = two.build("pierdat:buildTar")
          .property("origin", origin.base())
          .property("sha.a", Sha256.hex(a))
          .property("sha.b", Sha256.hex(b))
          .property("pierdat.cacheDirectory", ArtifactCache.fresh("two").toString())
          .run()
          .assertSucceeded();
      ImageTar twoImage = ImageTar.read(two.imageTar());
      PierDat pierDat = two.pierDat();

      List<ImageLayer> layers = twoImage.layers();
      assertArtifactLayer(layers.get(0), "/data/a.bin", a);
      assertArtifactLayer(layers.get(1), "/models/b.bin", b);
      assertPierdatLayers(layers.subList(2, layers.size()), ImageChecks.read(two.pierDatFile()));
      assertEquals(List.of("/data/a.bin", "/models/b.bin"),
          pierDat.artifacts().stream().map(ArtifactEntry::path).toList());
      assertEquals(List.of("a.bin", "model-b"), pierDat.artifacts().stream().map(ArtifactEntry::name).toList());
      assertArtifactLabels(twoImage.config().labels(), "/data/a.bin", a, "a.bin");
      assertArtifactLabels(twoImage.config().labels(), "/models/b.bin", b, "model-b");
      assertTrue(Integer.parseInt(labelIndex(twoImage.config().labels(), "/data/a.bin"))
          < Integer.parseInt(labelIndex(twoImage.config().labels(), "/models/b.bin")));
      built.find(PierdatLog.fetched("model-b", origin.url("/b.bin"), Sha256.hex(b)));
      assertEquals(b.length, origin.bytesServed("/b.bin"));
    }
  }
}
