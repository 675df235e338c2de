package io.github.pierdat.backend.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.fetch.ArtifactCache;
import io.github.pierdat.fetch.ArtifactFetchException;
import io.github.pierdat.fetch.ArtifactFetcher;
import io.github.pierdat.fetch.ArtifactRequest;
import io.github.pierdat.fetch.FetchedArtifact;
import io.github.pierdat.hash.Sha256;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.testing.MemoryTarget;
import io.github.pierdat.testing.TestOrigin;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBackendTest {

  @TempDir Path dir;
  private final FileBackend backend = new FileBackend();
  private final byte[] data = TestOrigin.randomBytes(2 * 1024 * 1024 + 99, 3);
  private final String sha = Sha256.hex(Sha256.newDigest().digest(data));

  @Test
  void copiesALocalFileGivenAsFileColonSlashOrFileTripleSlash() throws Exception {
    Path file = Files.write(dir.resolve("with space.bin"), data);
    for (URI source : List.of(file.toUri(), URI.create("file:" + file.toUri().getRawPath()))) {
      ArtifactCache cache = ArtifactCache.at(dir.resolve("cache-" + source.toString().length()));
      FetchedArtifact artifact = new ArtifactFetcher(cache, Backends.of(backend))
          .fetch(new ArtifactRequest(null, "/data/m.bin", sha, List.of(source)), FetchContext.builder().build());
      assertEquals(sha, Sha256.of(artifact.file()), source.toString());
      assertEquals(source.toString(), artifact.servedBy());
    }
    assertTrue(file.toUri().toString().startsWith("file:///"));
  }

  @Test
  void resumesAtTheTargetPosition() throws Exception {
    Path file = Files.write(dir.resolve("data.bin"), data);
    MemoryTarget target = new MemoryTarget(Arrays.copyOf(data, 1000));

    backend.fetch(file.toUri(), target, FetchContext.builder().build());

    assertEquals(data.length, target.expectedSize());
    assertTrue(Arrays.equals(data, target.bytes()));
  }

  @Test
  void startsOverWhenTheTargetHoldsMoreThanTheFile() throws Exception {
    Path file = Files.write(dir.resolve("data.bin"), data);
    MemoryTarget target = new MemoryTarget(new byte[data.length + 1]);

    backend.fetch(file.toUri(), target, FetchContext.builder().build());

    assertTrue(Arrays.equals(data, target.bytes()));
  }

  @Test
  void missingFileFailsNamingThePath() {
    Path missing = dir.resolve("missing.bin");

    FetchException e = assertThrows(FetchException.class,
        () -> backend.fetch(missing.toUri(), new MemoryTarget(new byte[0]), FetchContext.builder().build()));

    assertEquals("no such file: " + missing, e.getMessage());
    assertFalse(e.isRetryable());
  }

  @Test
  void directoryFailsNamingThePath() {
    FetchException e = assertThrows(FetchException.class,
        () -> backend.fetch(dir.toUri(), new MemoryTarget(new byte[0]), FetchContext.builder().build()));

    assertEquals(dir + " is a directory; expected a file", e.getMessage());
  }

  @Test
  void fileUrlWithAHostIsRefused() {
    FetchException e = assertThrows(FetchException.class, () -> backend.fetch(
        URI.create("file://server/share/x.bin"), new MemoryTarget(new byte[0]), FetchContext.builder().build()));

    assertTrue(e.getMessage().contains("names host 'server'"), e.getMessage());
  }

  @Test
  void missingFileIsReportedByTheFetcherWithItsPath() {
    URI source = dir.resolve("missing.bin").toUri();
    ArtifactFetcher fetcher = new ArtifactFetcher(ArtifactCache.at(dir.resolve("cache")), Backends.of(backend));

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class, () -> fetcher.fetch(
        new ArtifactRequest(null, "/data/m.bin", sha, List.of(source)), FetchContext.builder().build()));

    assertTrue(e.getMessage().contains(source + ": no such file: " + dir.resolve("missing.bin")), e.getMessage());
  }

  @Test
  void doesNotSeedAndHandlesOnlyTheFileScheme() throws Exception {
    ArtifactEntry entry = new ArtifactEntry("m", "/data/m", 1, sha, List.of(), List.of());
    assertEquals(Optional.empty(), backend.seedSpec(entry, dir));
    assertTrue(backend.accepts(URI.create("FILE:/x")));
    assertFalse(backend.accepts(URI.create("http://h/x")));
    assertEquals("file", backend.name());
  }
}
