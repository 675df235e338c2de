package io.github.pierdat.fetch;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.manifest.Sources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns fetched artifacts into pier.dat entries. */
public final class ManifestEntries {

  private ManifestEntries() {}

  /**
   * The pier.dat entry of {@code artifact}: its name, path, size and sha256, its declared sources without
   * credentials, and the seed entry of every backend that can seed it (in the order of {@code backends}).
   */
  public static ArtifactEntry entry(FetchedArtifact artifact, Backends backends) throws IOException {
    ArtifactRequest request = artifact.request();
    List<String> sources = request.sources().stream().map(Sources::redact).toList();
    ArtifactEntry bare = new ArtifactEntry(request.name(), request.path(), artifact.size(), artifact.sha256(),
        sources, List.of());
    List<SeedEntry> seeds = new ArrayList<>();
    for (Backend backend : backends.all()) {
      Optional<SeedEntry> seed = backend.seedSpec(bare, artifact.file());
      seed.ifPresent(seeds::add);
    }
    return new ArtifactEntry(bare.name(), bare.path(), bare.size(), bare.sha256(), bare.sources(), seeds);
  }
}
