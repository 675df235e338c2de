package io.github.pierdat.fetch;

import static io.github.pierdat.fetch.FetchTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestEntriesTest {

  @TempDir Path dir;

  @Test
  void entryHasRedactedSourcesAndTheSeedOfEverySeedingBackend() throws Exception {
    byte[] data = "manifest".getBytes();
    String sha = sha256(data);
    Path file = Files.write(dir.resolve("m.bin"), data);
    Backends backends = Backends.load();
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
  void serviceLoaderFindsTheFileAndHttpBackends() {
    assertEquals(List.of("file", "http"), Backends.load().all().stream().map(b -> b.name()).toList());
    assertEquals(List.of("file", "http", "https"), Backends.load().supportedSchemes());
  }
}
