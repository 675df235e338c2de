package io.github.pierdat.it.image;

import static io.github.pierdat.it.image.ImageChecks.assertArtifactLayer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.ImageTar;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import org.junit.jupiter.api.Test;

/** {@code mvn -o}: artifacts come from the cache only; a miss fails naming the artifact. */
class OfflineIT {

  private static final byte[] DATA = TestData.random(2 * 1024 * 1024, 501);
  private static final String SHA = Sha256.hex(DATA);

  @Test
  void offlineBuildSucceedsFromTheCacheWhileTheOriginIsDown() {
    ArtifactCache cache = ArtifactCache.fresh("offline");
    String origin;
    try (Origin running = Origin.start().serve("/model.bin", DATA)) {
      origin = running.base();
      SampleProject online = SampleProject.copy("build-http");
      online.build("pierdat:buildTar").property("from", "scratch").property("origin", origin).property("sha", SHA)
          .property("pierdat.cacheDirectory", cache.toString()).run().assertSucceeded();
    } // the origin is stopped here

    SampleProject offline = SampleProject.copy("build-http");
    BuildResult result = offline.build("pierdat:buildTar").offline()
        .property("from", "scratch").property("origin", origin).property("sha", SHA)
        .property("pierdat.cacheDirectory", cache.toString())
        .run().assertSucceeded();

    result.find(PierdatLog.fromCache("model.bin", SHA));
    assertArtifactLayer(ImageTar.read(offline.imageTar()).layerContaining("/models/model.bin").orElseThrow(),
        "/models/model.bin", DATA);
    assertEquals(SHA, offline.pierDat().artifacts().get(0).sha256());
  }

  @Test
  void offlineBuildWithEmptyCacheFailsNamingTheArtifactAndSha256() {
    ArtifactCache cache = ArtifactCache.fresh("offline-empty");
    try (Origin origin = Origin.start().serve("/model.bin", DATA)) {
      SampleProject project = SampleProject.copy("build-http");

      BuildResult result = project.build("pierdat:fetch").offline()
          .property("origin", origin.base()).property("sha", SHA)
          .property("pierdat.cacheDirectory", cache.toString())
          .run().assertPluginFailed();

      assertTrue(result.errors().contains("model.bin"), result.errors());
      assertTrue(result.errors().contains(SHA), result.errors());
      assertEquals(0, origin.requests().size(), "an offline build asked the origin: " + origin.requests());
      assertTrue(cache.verified().isEmpty(), "cache: " + cache.verified());
    }
  }
}
