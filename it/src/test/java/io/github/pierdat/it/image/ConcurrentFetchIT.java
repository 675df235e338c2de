package io.github.pierdat.it.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.MavenBuild;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Builds that need the same artifact at the same time, sharing one cache, download it once: two Maven
 * processes, and one parallel multi-module build. The origin is slow so that the builds overlap.
 */
class ConcurrentFetchIT {

  private static final byte[] DATA = TestData.random(3 * 1024 * 1024, 701);
  private static final String SHA = Sha256.hex(DATA);
  /** 3 MiB at 1 MiB/s: a download takes longer than a Maven start. */
  private static final long RATE = 1024 * 1024;

  @Test
  void twoMavenProcessesFetchingTheSameArtifactDownloadItOnce() {
    ArtifactCache cache = ArtifactCache.fresh("concurrent");
    try (Origin origin = Origin.start().serve("/model.bin", DATA).throttle("/model.bin", RATE)) {
      SampleProject first = SampleProject.copy("build-http");
      SampleProject second = SampleProject.copy("build-http");

      MavenBuild.Running a = fetch(first, origin, cache).start();
      MavenBuild.Running b = fetch(second, origin, cache).start();
      BuildResult resultA = a.await();
      BuildResult resultB = b.await();

      resultA.assertSucceeded();
      resultB.assertSucceeded();
      assertEquals(DATA.length, origin.bytesServed("/model.bin"), "bytes served for one " + DATA.length
          + "-byte artifact; requests: " + origin.gets("/model.bin"));
      assertOneVerifiedFile(cache);
      assertEquals(SHA, first.pierDat().artifacts().get(0).sha256());
      assertEquals(SHA, second.pierDat().artifacts().get(0).sha256());
    }
  }

  @Test
  void parallelModulesFetchingTheSameArtifactDownloadItOnce() {
    ArtifactCache cache = ArtifactCache.fresh("parallel");
    try (Origin origin = Origin.start().serve("/shared.bin", DATA).throttle("/shared.bin", RATE)) {
      SampleProject project = SampleProject.copy("multi-module");

      project.build("pierdat:fetch").threads(4)
          .property("origin", origin.base()).property("sha", SHA)
          .property("pierdat.cacheDirectory", cache.toString())
          .run().assertSucceeded();

      assertEquals(DATA.length, origin.bytesServed("/shared.bin"), "bytes served for one " + DATA.length
          + "-byte artifact; requests: " + origin.gets("/shared.bin"));
      assertOneVerifiedFile(cache);
      for (String module : List.of("m1", "m2", "m3")) {
        assertTrue(project.path(module + "/target/pierdat/pier.dat").toFile().isFile(), module + " has no pier.dat");
      }
    }
  }

  private static MavenBuild fetch(SampleProject project, Origin origin, ArtifactCache cache) {
    return project.build("pierdat:fetch")
        .property("origin", origin.base()).property("sha", SHA)
        .property("pierdat.cacheDirectory", cache.toString());
  }

  private static void assertOneVerifiedFile(ArtifactCache cache) {
    cache.assertConsistent();
    assertEquals(List.of(SHA), List.copyOf(cache.verified().keySet()));
    assertTrue(cache.filesUnder("partial").isEmpty(), "partial files left: " + cache.filesUnder("partial"));
  }
}
