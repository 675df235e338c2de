package io.github.pierdat.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.backend.RandomAccessTarget;
import io.github.pierdat.backend.bittorrent.BitTorrentBackend;
import io.github.pierdat.hash.Sha256;
import io.github.pierdat.manifest.ArtifactEntry;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed-spec pass ends when the download does, whatever size it was told, and never gives a wrong spec. */
class SeedSpecPassTest {

  private static final Duration PROMPTLY = Duration.ofSeconds(20);

  @TempDir Path dir;

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void aPassOverAFileShorterThanItsDeclaredSizeEndsWhenTheWriterIsDoneAndGivesNoSpec() throws Exception {
    byte[] bytes = random(300_000, 1);
    Path file = Files.write(dir.resolve("download.part"), bytes);
    SeedSpecPass pass = SeedSpecPass.start(file, 2L * bytes.length, List.of(new BitTorrentBackend())).orElseThrow();

    assertTimeoutPreemptively(PROMPTLY, pass::awaitRead, "the pass must not wait for bytes that never come");
    ArtifactEntry artifact = new ArtifactEntry("m.bin", "/data/m.bin", bytes.length,
        Sha256.hex(Sha256.newDigest().digest(bytes)), List.of(), List.of());
    assertEquals(Optional.empty(), pass.finish(artifact, file));
  }

  /**
   * An HTTP source announced one size and failed verification; a magnet (size unknown until its metadata
   * arrives) then delivered the right, smaller file by position. The pass must not keep the first size.
   */
  @Test
  void aSizeAnnouncedBeforeAResetDoesNotOutliveIt() throws Exception {
    byte[] wrong = random(3 << 20, 2);
    byte[] right = random((2 << 20) + 4_321, 3);
    String sha = Sha256.hex(Sha256.newDigest().digest(right));
    BitTorrentBackend bittorrent = new BitTorrentBackend();
    Path file = dir.resolve("download.part");
    try (HashingFileTarget target = HashingFileTarget.open(file, "m.bin", FetchLog.silent())
        .imagePath("/data/m.bin").seedSpecsFor(List.<Backend>of(bittorrent))) {
      target.beginAttempt("http://origin/wrong");
      target.expectSize(wrong.length);
      target.write(ByteBuffer.wrap(wrong));
      target.finishHash();
      target.reset();

      target.beginAttempt("magnet:?xt=urn:btih:...");
      RandomAccessTarget pieces = target.randomAccess().orElseThrow();
      target.expectSize(right.length);
      pieces.write(ByteBuffer.wrap(right), 0);
      pieces.verified(0, right.length);
      assertEquals(sha, target.finishHash());
      target.seal();
      SeedSpecPass pass = target.seedSpecPass().orElseThrow();

      assertTimeoutPreemptively(PROMPTLY, pass::awaitRead, "the pass must not wait for bytes that never come");
      ArtifactEntry artifact = new ArtifactEntry("m.bin", "/data/m.bin", right.length, sha, List.of(), List.of());
      var specs = pass.finish(artifact, file);
      assertTrue(specs.isPresent(), "the pass followed the second download");
      assertEquals(new BitTorrentBackend().seedSpec(artifact, file), specs.get().get(bittorrent));
    }
  }
}
