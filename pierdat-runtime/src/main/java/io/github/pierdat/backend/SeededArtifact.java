package io.github.pierdat.backend;

import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One artifact a seeder offers: its pier.dat entry (with the seed entries of all backends), the file that
 * holds its verified bytes, and this backend's seed entry.
 *
 * @param artifact the artifact as pier.dat records it
 * @param file the file to serve, opened read-only
 * @param seed this backend's seed entry for the artifact
 */
public record SeededArtifact(ArtifactEntry artifact, Path file, SeedEntry seed) {

  public SeededArtifact {
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(seed, "seed");
  }
}
