package io.github.pierdat.it.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.JavaBaseImage;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.Registry;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Registry trouble fails the build with an error that names the image and the registry. */
class RegistryFailureIT {

  private static final byte[] DATA = TestData.random(256 * 1024, 901);
  private static final String SHA = Sha256.hex(DATA);
  private static Registry registry;
  private static Origin origin;
  private static String base;

  @BeforeAll
  static void start() {
    registry = Registry.start();
    origin = Origin.start().serve("/model.bin", DATA);
    base = JavaBaseImage.get().pushTo(registry, "base/java:17");
  }

  @AfterAll
  static void stop() {
    origin.close();
    registry.close();
  }

  @Test
  void unreachableTargetRegistryFailsNamingTheRegistry() {
    String target = "127.0.0.1:" + FreePort.find() + "/it/unreachable:1";

    BuildResult result = SampleProject.copy("build-http").build("pierdat:build")
        .property("registry", registry.address()).property("origin", origin.base()).property("sha", SHA)
        .property("from", base).property("to", target)
        .property("pierdat.cacheDirectory", ArtifactCache.fresh("unreachable").toString())
        .run().assertPluginFailed();

    assertTrue(result.errors().contains(target.substring(0, target.indexOf('/'))),
        "the error does not name the registry " + target + ":\n" + result.errors());
  }

  @Test
  void unknownBaseImageFailsNamingTheImage() {
    String missing = registry.reference("base/does-not-exist:1");

    BuildResult result = SampleProject.copy("build-http").build("pierdat:build")
        .property("registry", registry.address()).property("origin", origin.base()).property("sha", SHA)
        .property("from", missing)
        .property("pierdat.cacheDirectory", ArtifactCache.fresh("unknown-base").toString())
        .run().assertPluginFailed();

    assertTrue(result.errors().contains("base/does-not-exist"),
        "the error does not name the base image " + missing + ":\n" + result.errors());
  }
}
