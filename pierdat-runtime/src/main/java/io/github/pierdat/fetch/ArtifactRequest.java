package io.github.pierdat.fetch;

import io.github.pierdat.manifest.ImagePaths;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One artifact to fetch: where it goes in the image, what its bytes must hash to, where to get them.
 *
 * @param name a short name for logs (the file name of {@code path} unless given)
 * @param path the absolute path in the image
 * @param sha256 the expected lowercase hex sha256, or null when the user has not pinned it yet (the
 *     fetch then fails after printing the sha256 of what it got)
 * @param sources the sources to try, in order
 */
public record ArtifactRequest(String name, String path, String sha256, List<URI> sources) {

  public ArtifactRequest {
    Objects.requireNonNull(path, "path");
    name = name == null ? ImagePaths.fileName(path) : name;
    sources = List.copyOf(Objects.requireNonNullElse(sources, List.of()));
  }
}
