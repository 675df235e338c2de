package io.github.pierdat.image;

import io.github.pierdat.manifest.PierDat;
import java.util.List;
import java.util.Set;

/**
 * What {@link ImageAssembler#containerize} built.
 *
 * @param reference the target image reference
 * @param tags the tags written (the reference's tag and any extra tags)
 * @param digest the image manifest's digest ({@code sha256:...})
 * @param imageId the image id, the digest of the container configuration ({@code sha256:...})
 * @param artifactLayers one layer per artifact, in declaration order
 * @param pierDat pier.dat as written into the image, with the base image's command as {@code app}
 */
public record ImageResult(
    String reference,
    Set<String> tags,
    String digest,
    String imageId,
    List<LayerInfo> artifactLayers,
    PierDat pierDat) {

  public ImageResult {
    tags = Set.copyOf(tags);
    artifactLayers = List.copyOf(artifactLayers);
  }
}
