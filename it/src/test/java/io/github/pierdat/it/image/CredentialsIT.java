package io.github.pierdat.it.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.ImageLayer;
import io.github.pierdat.it.fixture.ImageTar;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TarEntry;
import io.github.pierdat.it.fixture.TestData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Credentials in a source URL are used, never recorded: not in the log, pier.dat, labels or image. */
class CredentialsIT {

  private static final String SECRET = "s3cr3t-pw-4711";
  private static final byte[] DATA = TestData.random(256 * 1024, 1001);

  @Test
  void credentialsInSourceUrlNeverReachLogPierDatLabelsOrImage() {
    try (Origin origin = Origin.start().serve("/model.bin", DATA)) {
      String withCredentials = "http://it-user:" + SECRET + "@127.0.0.1:" + origin.port();
      SampleProject project = SampleProject.copy("build-http");

      BuildResult result = project.build("pierdat:buildTar")
          .property("from", "scratch").property("origin", withCredentials).property("sha", Sha256.hex(DATA))
          .property("pierdat.cacheDirectory", ArtifactCache.fresh("credentials").toString())
          .run().assertSucceeded();
      ImageTar image = ImageTar.read(project.imageTar());

      assertFalse(result.log().replace("-Dorigin=" + withCredentials, "").contains(SECRET), "secret in the build log");
      assertEquals(List.of(origin.url("/model.bin")), project.pierDat().artifacts().get(0).sources());
      assertFalse(new String(ImageChecks.read(project.pierDatFile()), StandardCharsets.UTF_8).contains(SECRET));
      assertFalse(new String(image.config().bytes(), StandardCharsets.UTF_8).contains(SECRET), "secret in the config");
      for (ImageLayer layer : image.layers()) {
        for (TarEntry entry : layer.entries()) {
          if (entry.content() != null) {
            assertFalse(new String(entry.content(), StandardCharsets.ISO_8859_1).contains(SECRET),
                "secret in " + entry.path());
          }
        }
      }
    }
  }
}
