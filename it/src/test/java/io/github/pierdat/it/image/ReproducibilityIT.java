package io.github.pierdat.it.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.ImageLayer;
import io.github.pierdat.it.fixture.ImageTar;
import io.github.pierdat.it.fixture.JavaBaseImage;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.Registry;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Same inputs, same image: whatever the cache, the clock or the files' times. */
class ReproducibilityIT {

  private static final byte[] DATA = TestData.random(2 * 1024 * 1024, 401);
  private static final String SHA = Sha256.hex(DATA);

  @Test
  void cleanBuildsWithDifferentCachesAndSourceMtimesGiveTheSameImageDigest() throws Exception {
    // One project directory: a file: source's path is part of pier.dat, so it must not change.
    SampleProject project = SampleProject.copy("buildtar-file");
    project.write("data/payload.bin", DATA);
    Files.setLastModifiedTime(project.path("data/payload.bin"), FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
    project.build("pierdat:buildTar").property("sha", SHA)
        .property("pierdat.cacheDirectory", ArtifactCache.fresh("repro-1").toString()).run().assertSucceeded();
    String firstDigest = project.imageDigest();
    List<String> firstLayers = layerDigests(ImageTar.read(project.imageTar()));
    byte[] firstConfig = ImageTar.read(project.imageTar()).config().bytes();
    deleteTree(project.path("target"));
    Files.setLastModifiedTime(project.path("data/payload.bin"), FileTime.from(Instant.parse("2025-06-07T08:09:10Z")));

    project.build("pierdat:buildTar").property("sha", SHA)
        .property("pierdat.cacheDirectory", ArtifactCache.fresh("repro-2").toString()).run().assertSucceeded();

    assertEquals(firstLayers, layerDigests(ImageTar.read(project.imageTar())));
    assertEquals(new String(firstConfig, StandardCharsets.UTF_8),
        new String(ImageTar.read(project.imageTar()).config().bytes(), StandardCharsets.UTF_8), "image config");
    assertEquals(firstDigest, project.imageDigest());
  }

  @Test
  void buildsInDifferentDirectoriesWithDifferentCachesGiveTheSameImageDigest() {
    try (Origin origin = Origin.start().serve("/model.bin", DATA)) {
      SampleProject first = SampleProject.copy("build-http");
      SampleProject second = SampleProject.copy("build-http");

      for (SampleProject project : List.of(first, second)) {
        project.build("pierdat:buildTar").property("from", "scratch").property("origin", origin.base())
            .property("sha", SHA).property("pierdat.cacheDirectory", ArtifactCache.fresh("repro-dir").toString())
            .run().assertSucceeded();
      }

      assertEquals(layerDigests(ImageTar.read(first.imageTar())), layerDigests(ImageTar.read(second.imageTar())));
      assertEquals(Sha256.hex(first.pierDatFile()), Sha256.hex(second.pierDatFile()));
      assertEquals(first.imageDigest(), second.imageDigest());
    }
  }

  @Test
  void differentDataGivesADifferentImageDigest() {
    byte[] other = TestData.random(DATA.length, 402);
    SampleProject first = SampleProject.copy("buildtar-file");
    first.write("data/payload.bin", DATA);
    SampleProject second = SampleProject.copy("buildtar-file");
    second.write("data/payload.bin", other);
    ArtifactCache cache = ArtifactCache.fresh("repro-diff");

    first.build("pierdat:buildTar").property("sha", SHA)
        .property("pierdat.cacheDirectory", cache.toString()).run().assertSucceeded();
    second.build("pierdat:buildTar").property("sha", Sha256.hex(other))
        .property("pierdat.cacheDirectory", cache.toString()).run().assertSucceeded();

    assertNotEquals(first.imageDigest(), second.imageDigest());
  }

  @Test
  void rebuildWithUnchangedDataUploadsNoDataLayerAgain() {
    try (Registry registry = Registry.start(); Origin origin = Origin.start().serve("/model.bin", DATA)) {
      String from = JavaBaseImage.get().pushTo(registry, "base/java:17");
      SampleProject project = SampleProject.copy("build-http");
      ArtifactCache cache = ArtifactCache.fresh("repro-push");

      project.build("pierdat:build").property("registry", registry.address()).property("origin", origin.base())
          .property("sha", SHA).property("from", from).property("pierdat.cacheDirectory", cache.toString())
          .run().assertSucceeded();
      String firstDigest = project.imageDigest();
      Registry.Manifest manifest = registry.manifest("it/build-http", "1.0");
      String dataLayer = registry.layers(manifest).stream()
          .filter(layer -> layer.entry("/models/model.bin").isPresent())
          .map(ImageLayer::digest).findFirst().orElseThrow();
      int uploadsAfterFirst = registry.uploadedDigests().size();

      project.build("pierdat:build").property("registry", registry.address()).property("origin", origin.base())
          .property("sha", SHA).property("from", from).property("pierdat.cacheDirectory", cache.toString())
          .run().assertSucceeded();

      assertEquals(1, registry.completedUploads(dataLayer), "data layer uploads: " + registry.uploadedDigests());
      assertEquals(uploadsAfterFirst, registry.uploadedDigests().size(),
          "the rebuild uploaded blobs again: " + registry.uploadedDigests());
      assertEquals(firstDigest, project.imageDigest());
      assertEquals(firstDigest, registry.manifest("it/build-http", "1.0").digest());
      assertEquals(DATA.length, origin.bytesServed("/model.bin"), "the rebuild fetched from the cache");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(file);
      }
    }
  }

  private static List<String> layerDigests(ImageTar image) {
    return image.layers().stream().map(ImageLayer::digest).toList();
  }
}
