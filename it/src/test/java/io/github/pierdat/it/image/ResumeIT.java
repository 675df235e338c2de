package io.github.pierdat.it.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A download cut off mid-body continues where it stopped instead of starting over. */
class ResumeIT {

  private static final byte[] DATA = TestData.random(4 * 1024 * 1024, 601);
  private static final String SHA = Sha256.hex(DATA);
  private static final long DROP_AFTER = 1536 * 1024;

  @Test
  void resumesTheDownloadWithARangeRequestAfterTheConnectionDrops() {
    ArtifactCache cache = ArtifactCache.fresh("resume");
    try (Origin origin = Origin.start().serve("/model.bin", DATA).dropAfter("/model.bin", DROP_AFTER)) {
      SampleProject project = SampleProject.copy("build-http");

      BuildResult result = project.build("pierdat:fetch")
          .property("origin", origin.base()).property("sha", SHA)
          .property("pierdat.cacheDirectory", cache.toString())
          .run().assertSucceeded();

      List<Origin.Request> gets = origin.gets("/model.bin");
      assertEquals(2, gets.size(), "expected the cut request and one resuming request: " + gets);
      assertEquals(DROP_AFTER, gets.get(0).bodyBytes());
      String range = gets.get(1).range();
      assertNotNull(range, "the second request had no Range header: " + gets.get(1).headers());
      Matcher matcher = Pattern.compile("bytes=(\\d+)-").matcher(range);
      assertTrue(matcher.find(), "Range: " + range);
      long resumedAt = Long.parseLong(matcher.group(1));
      assertTrue(resumedAt > 0 && resumedAt <= DROP_AFTER, "resumed at " + resumedAt);
      assertEquals(206, gets.get(1).status());
      long served = origin.bytesServed("/model.bin");
      assertTrue(served < DATA.length * 1.25, "origin served " + served + " bytes for a " + DATA.length + "-byte file");
      cache.assertConsistent();
      assertEquals(List.of(SHA), List.copyOf(cache.verified().keySet()));
      assertTrue(cache.filesUnder("partial").isEmpty(), "partial files left: " + cache.filesUnder("partial"));
      assertEquals(SHA, project.pierDat().artifacts().get(0).sha256());
      result.find(PierdatLog.fetched("model.bin", origin.url("/model.bin"), SHA));
    }
  }
}
