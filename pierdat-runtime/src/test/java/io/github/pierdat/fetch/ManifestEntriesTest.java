package io.github.pierdat.fetch;

import static io.github.pierdat.fetch.FetchTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.file.FileBackend;
import io.github.pierdat.backend.http.HttpBackend;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestEntriesTest {

  @TempDir Path dir;

  @Test
  void entryHasRedactedSourcesAndTheSeedOfEverySeedingBackend() throws Exception {
    byte[] data = "manifest".getBytes();
    String sha = sha256(data);
    Path file = Files.write(dir.resolve("m.bin"), data);
    Backends backends = Backends.of(new FileBackend(), new HttpBackend());
    URI withSecret = URI.create("https://user:secret@example.test/m.bin");
    ArtifactRequest request = new ArtifactRequest("model", "/data/m.bin", sha, List.of(file.toUri(), withSecret));
    // file: comes first, so the fetch never reaches the https source.
    FetchedArtifact artifact = new ArtifactFetcher(ArtifactCache.at(dir.resolve("cache")), backends)
        .fetch(request, FetchContext.builder().build());

    ArtifactEntry entry = ManifestEntries.entry(artifact, backends);

    assertEquals(new ArtifactEntry("model", "/data/m.bin", data.length, sha,
        List.of(file.toUri().toString(), "https://example.test/m.bin"),
        List.of(new SeedEntry("http", Map.of("path", "/artifacts/" + sha)))), entry);
  }

  @Test
  void serviceLoaderFindsEveryBuiltInBackend() {
    List<String> names = Backends.load().all().stream().map(b -> b.name()).toList();
    assertTrue(names.containsAll(List.of("bittorrent", "file", "http", "ipfs")), names.toString());
    assertTrue(Backends.load().supportedSchemes().containsAll(List.of("file", "http", "https", "ipfs", "magnet")));
  }

  @Test
  void seedSpecsAreRememberedInTheCacheSoARebuildDoesNotRecomputeThem() throws Exception {
    byte[] data = "remembered".getBytes();
    Path file = Files.write(dir.resolve("r.bin"), data);
    ArtifactCache cache = ArtifactCache.at(dir.resolve("cache"));
    CountingSeedBackend counting = new CountingSeedBackend();
    Backends backends = Backends.of(new FileBackend(), counting);
    ArtifactRequest request = new ArtifactRequest(null, "/data/r.bin", sha256(data), List.of(file.toUri()));
    FetchedArtifact artifact = new ArtifactFetcher(cache, backends).fetch(request, FetchContext.builder().build());

    ArtifactEntry first = ManifestEntries.entry(artifact, backends, cache);
    ArtifactEntry second = ManifestEntries.entry(artifact, backends, cache);
    ArtifactEntry moved = ManifestEntries.entry(new FetchedArtifact(
        new ArtifactRequest(null, "/other/r.bin", sha256(data), List.of(file.toUri())), artifact.file(),
        artifact.sha256(), artifact.size(), "cache", true, artifact.elapsed(), 0, List.of()), backends, cache);

    assertEquals(first, second);
    assertEquals(List.of(new SeedEntry("counting", Map.of("n", "1"))), first.seeds());
    assertEquals(List.of(new SeedEntry("counting", Map.of("n", "2"))), moved.seeds(), "another path is another key");
    assertEquals(2, counting.calls);
  }

  /** A seeding backend that numbers its seed specs, to see which were computed and which remembered. */
  private static final class CountingSeedBackend implements Backend {
    int calls;

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public Set<String> schemes() {
      return Set.of();
    }

    @Override
    public boolean accepts(URI source) {
      return false;
    }

    @Override
    public void fetch(URI source, FetchTarget target, FetchContext context) {
      throw new UnsupportedOperationException("seeds only");
    }

    @Override
    public Optional<SeedEntry> seedSpec(ArtifactEntry artifact, Path file) {
      calls++;
      return Optional.of(new SeedEntry(name(), Map.of("n", Integer.toString(calls))));
    }
  }
}
