package io.github.pierdat.manifest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One baked artifact as pier.dat records it.
 *
 * @param name a short name for logs and labels (the file name of {@code path} unless declared)
 * @param path the absolute path of the file in the image
 * @param size the size in bytes
 * @param sha256 the lowercase hex sha256 of the bytes
 * @param sources the sources it was declared with, with credentials removed
 * @param seeds what each seeding backend needs to seed it
 */
public record ArtifactEntry(
    String name, String path, long size, String sha256, List<String> sources, List<SeedEntry> seeds) {

  public ArtifactEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
    name = name == null ? ImagePaths.fileName(path) : name;
    sources = List.copyOf(Objects.requireNonNullElse(sources, List.of()));
    seeds = List.copyOf(Objects.requireNonNullElse(seeds, List.of()));
  }

  /** The seed entry of the named backend, if this artifact has one. */
  public Optional<SeedEntry> seed(String backend) {
    return seeds.stream().filter(s -> s.backend().equals(backend)).findFirst();
  }
}
