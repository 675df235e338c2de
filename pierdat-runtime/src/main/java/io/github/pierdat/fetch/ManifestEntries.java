package io.github.pierdat.fetch;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.manifest.Sources;
import io.github.pierdat.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  /**
   * Like {@link #entry(FetchedArtifact, Backends)}, but remembers each backend's seed spec in {@code cache}:
   * computing one (a torrent's piece hashes, a CID) reads the whole file, and a rebuild from the cache
   * should cost no such pass. The key covers everything a spec is computed from here: the backend, its
   * settings ({@link Backend#seedSpecKey()}), the bytes (sha256), the artifact's name and path, and its sources (web seeds).
   */
  public static ArtifactEntry entry(FetchedArtifact artifact, Backends backends, ArtifactCache cache)
      throws IOException {
    ArtifactEntry bare = bare(artifact.request(), artifact.size(), artifact.sha256());
    List<SeedEntry> seeds = new ArrayList<>();
    for (Backend backend : backends.all()) {
      String key = rememberKey(backend, bare);
      Optional<SeedEntry> remembered = cache.seedSpec(key);
      if (remembered.isPresent()) {
        seeds.add(remembered.get());
        continue;
      }
      Optional<SeedEntry> seed = backend.seedSpec(bare, artifact.file());
      if (seed.isPresent()) {
        cache.rememberSeedSpec(key, seed.get());
        seeds.add(seed.get());
      }
    }
    return new ArtifactEntry(bare.name(), bare.path(), bare.size(), bare.sha256(), bare.sources(), seeds);
  }

  /** The entry without seeds: what seed specs are computed from. */
  static ArtifactEntry bare(ArtifactRequest request, long size, String sha256) {
    List<String> sources = request.sources().stream().map(Sources::redact).toList();
    return new ArtifactEntry(request.name(), request.path(), size, sha256, sources, List.of());
  }

  /** The cache key of {@code backend}'s seed spec for {@code bare}. */
  static String rememberKey(Backend backend, ArtifactEntry bare) {
    String inputs = String.join("\n", backend.name(), backend.seedSpecKey(), bare.sha256(),
        Long.toString(bare.size()), bare.name(), bare.path(), String.join(" ", bare.sources()));
    return Sha256.hex(Sha256.newDigest().digest(inputs.getBytes(StandardCharsets.UTF_8)));
  }
}
