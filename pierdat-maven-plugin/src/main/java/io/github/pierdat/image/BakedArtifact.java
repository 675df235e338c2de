package io.github.pierdat.image;

import io.github.pierdat.manifest.ArtifactEntry;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One artifact to bake into an image.
 *
 * @param entry what pier.dat records about it; its path is where the file goes in the image
 * @param file the verified file holding its bytes, at a content-addressed path (a cache path that names
 *     the sha256), so that a path always stands for the same bytes
 */
public record BakedArtifact(ArtifactEntry entry, Path file) {

  public BakedArtifact {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(file, "file");
  }
}
