package io.github.pierdat.it.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pierdat.backend.bittorrent.BitTorrentBackend;
import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.SampleProject;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.SeedEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original README's "multi seed" example as a sample project (src/test/projects/multi-seed): download
 * from the web, fall back to BitTorrent, host on IPFS. The built image's pier.dat seeds the artifact over
 * HTTP, BitTorrent (the infohash the magnet source names) and IPFS (the CID Debian's ipfs_cid computes).
 */
class MultiSeedIT {

  @TempDir Path dir;

  @Test
  void multiSeedSampleBuildsAnImageSeedingHttpTorrentAndCid() throws Exception {
    byte[] corpus = TestData.random(2 * 1024 * 1024 + 5, 61);
    String sha = Sha256.hex(corpus);
    Path local = dir.resolve("corpus.bin");
    Files.write(local, corpus);
    ArtifactEntry declared = new ArtifactEntry("corpus", "/data/corpus.bin", corpus.length, sha, List.of(), List.of());
    String btih = new BitTorrentBackend().seedSpec(declared, local).orElseThrow().param("infohash");
    try (Origin origin = Origin.start()) {
      origin.serve("/corpus.bin", corpus);
      SampleProject project = SampleProject.copy("multi-seed");
      project.build("pierdat:buildTar")
          .property("origin", origin.base())
          .property("sha", sha)
          .property("btih", btih)
          .property("pierdat.cacheDirectory", ArtifactCache.fresh("multi-seed").toString())
          .run()
          .assertSucceeded();
      assertEquals(corpus.length, origin.bytesServed("/corpus.bin"), "fetched from the web first");

      PierDat pierDat = project.pierDat();
      ArtifactEntry artifact = pierDat.artifacts().get(0);
      assertEquals(List.of(origin.base() + "/corpus.bin", "magnet:?xt=urn:btih:" + btih), artifact.sources());
      assertEquals(List.of("bittorrent", "http", "ipfs"),
          artifact.seeds().stream().map(SeedEntry::backend).sorted().toList());
      assertEquals("/artifacts/" + sha, artifact.seed("http").orElseThrow().param("path"));
      assertEquals(btih, artifact.seed("bittorrent").orElseThrow().param("infohash"));
      assertEquals(ipfsCidOracle(local), artifact.seed("ipfs").orElseThrow().param("cid"));
    }
  }

  /** The kubo-default CIDv0 of {@code file} by Debian's ipfs_cid. */
  private static String ipfsCidOracle(Path file) throws Exception {
    Process process = new ProcessBuilder("ipfs_cid", file.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new AssertionError("ipfs_cid " + file + " failed: " + out);
    }
    Matcher m = Pattern.compile("\"CIDv0\"\\s*:\\s*\"([^\"]+)\"").matcher(out);
    if (!m.find()) {
      throw new AssertionError("unexpected ipfs_cid output: " + out);
    }
    return m.group(1);
  }
}
