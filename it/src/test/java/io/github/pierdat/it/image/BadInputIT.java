package io.github.pierdat.it.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input fails the build with an error that names the artifact, the field and the value, and leaves
 * nothing in the cache that does not belong there (every entry verified, nothing under the declared
 * sha256 unless those are the bytes).
 */
class BadInputIT {

  private static final byte[] DATA = TestData.random(512 * 1024, 801);
  private static final String SHA = Sha256.hex(DATA);
  private static Origin origin;

  @BeforeAll
  static void startOrigin() {
    origin = Origin.start().serve("/model.bin", DATA);
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  /** Builds sample {@code bad-artifact} with the given fields; expects BUILD FAILURE. */
  private static BuildResult failingBuild(ArtifactCache cache, String path, String sha, String source) {
    return SampleProject.copy("bad-artifact").build("pierdat:fetch")
        .property("path", path).property("sha", sha).property("source", source)
        .property("pierdat.cacheDirectory", cache.toString())
        .property("pierdat.retries", "2")
        .run().assertPluginFailed();
  }

  private static void assertMentions(BuildResult result, String... essentials) {
    for (String essential : essentials) {
      assertTrue(result.errors().contains(essential),
          "the error does not mention \"" + essential + "\":\n" + result.errors());
    }
  }

  private static void assertCacheHasNoVerifiedFiles(ArtifactCache cache) {
    cache.assertConsistent();
    assertTrue(cache.verified().isEmpty(), "verified files in the cache after a failed build: " + cache.verified());
  }

  @Test
  void missingSha256FailsAndPrintsTheComputedSha256() {
    ArtifactCache cache = ArtifactCache.fresh("missing-sha");
    SampleProject project = SampleProject.copy("bad-missing-sha256");
    project.write("data/payload.bin", DATA);

    BuildResult result = project.build("pierdat:fetch").property("pierdat.cacheDirectory", cache.toString())
        .run().assertPluginFailed();

    assertMentions(result, "payload.bin", "sha256");
    assertTrue(result.log().contains(SHA), "the log does not print the computed sha256 " + SHA);
    cache.assertConsistent();
  }

  @Test
  void malformedSha256FailsNamingTheFieldAndTheValue() {
    ArtifactCache cache = ArtifactCache.fresh("malformed-sha");
    int before = origin.requests().size();

    BuildResult result = failingBuild(cache, "/data/model.bin", "not-a-sha256", origin.url("/model.bin"));

    assertMentions(result, "model.bin", "sha256", "not-a-sha256");
    assertEquals(before, origin.requests().size(), "a malformed sha256 must fail before any download");
    assertCacheHasNoVerifiedFiles(cache);
  }

  @Test
  void sha256MismatchNamesExpectedActualAndSource() {
    ArtifactCache cache = ArtifactCache.fresh("mismatch");
    String declared = Sha256.hex(TestData.random(16, 802));

    BuildResult result = failingBuild(cache, "/data/model.bin", declared, origin.url("/model.bin"));

    assertMentions(result, "model.bin", declared, SHA, origin.url("/model.bin"));
    cache.assertConsistent();
    assertFalse(cache.verified().containsKey(declared), "the cache holds other bytes under the declared sha256");
    assertTrue(cache.filesUnder("partial").stream().noneMatch(p -> p.getFileName().toString().startsWith(declared)),
        "bytes that failed verification were kept as a partial download of " + declared);
  }

  @ParameterizedTest
  @ValueSource(strings = {"data/model.bin", "/data/../etc/model.bin", "/opt/pierdat/model.bin", "/etc/pier.dat"})
  void pathThatCannotHoldAnArtifactFailsNamingTheFieldAndTheValue(String path) {
    ArtifactCache cache = ArtifactCache.fresh("bad-path");
    int before = origin.requests().size();

    BuildResult result = failingBuild(cache, path, SHA, origin.url("/model.bin"));

    assertMentions(result, "path", path);
    assertEquals(before, origin.requests().size(), "an invalid path must fail before any download");
    assertCacheHasNoVerifiedFiles(cache);
  }

  @Test
  void duplicatePathsFailNamingBothArtifactsAndThePath() {
    ArtifactCache cache = ArtifactCache.fresh("duplicate");
    byte[] other = TestData.random(1000, 803);
    SampleProject project = SampleProject.copy("bad-duplicate-paths");
    project.write("data/a.bin", DATA);
    project.write("data/b.bin", other);

    BuildResult result = project.build("pierdat:fetch")
        .property("sha.a", SHA).property("sha.b", Sha256.hex(other))
        .property("pierdat.cacheDirectory", cache.toString())
        .run().assertPluginFailed();

    assertMentions(result, "/data/model.bin", "first", "second");
    assertCacheHasNoVerifiedFiles(cache);
  }

  @Test
  void unknownUriSchemeFailsListingTheSupportedSchemes() {
    ArtifactCache cache = ArtifactCache.fresh("scheme");

    BuildResult result = failingBuild(cache, "/data/model.bin", SHA, "gopher://127.0.0.1/model.bin");

    assertMentions(result, "model.bin", "gopher://127.0.0.1/model.bin", "http", "file");
    assertCacheHasNoVerifiedFiles(cache);
  }

  @Test
  void allSourcesFailingReportsEachSourceWithItsReason() {
    ArtifactCache cache = ArtifactCache.fresh("all-fail");
    String missing = origin.url("/not-there.bin");
    String unreachable = Origin.unreachableUrl("/model.bin");

    BuildResult result = SampleProject.copy("bad-all-sources-fail").build("pierdat:fetch")
        .property("sha", SHA).property("source1", missing).property("source2", unreachable)
        .property("pierdat.cacheDirectory", cache.toString())
        .property("pierdat.retries", "2")
        .run().assertPluginFailed();

    String missingReason = result.find(PierdatLog.sourceFailed("model.bin", missing)).group(1);
    result.find(PierdatLog.sourceFailed("model.bin", unreachable));
    assertTrue(missingReason.contains("404"), "reason for " + missing + ": " + missingReason);
    assertMentions(result, "model.bin", missing, unreachable);
    assertCacheHasNoVerifiedFiles(cache);
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403, 404})
  void httpErrorStatusFailsNamingTheStatusAndTheSource(int status) {
    ArtifactCache cache = ArtifactCache.fresh("status-" + status);
    String path = "/status-" + status + ".bin";
    origin.respond(path, status);

    BuildResult result = failingBuild(cache, "/data/model.bin", SHA, origin.url(path));

    assertMentions(result, "model.bin", origin.url(path), String.valueOf(status));
    assertCacheHasNoVerifiedFiles(cache);
  }
}
