package io.github.pierdat.fetch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A verified artifact in the cache.
 *
 * @param request what was asked for
 * @param file the verified bytes, at a content-addressed path in the cache (never modified)
 * @param sha256 the lowercase hex sha256 of the bytes
 * @param size the size in bytes
 * @param servedBy the source that delivered (without credentials), or {@code cache}
 * @param fromCache true when no source was asked
 * @param hashed true when this fetch hashed the bytes: a download, or a cache entry with other hard links,
 *     checked before it was trusted; false for a cache entry trusted as verified by an earlier fetch
 * @param elapsed how long the fetch took
 * @param bytesTransferred bytes received from the network in this fetch (0 from cache)
 * @param failures sources tried before the one that worked, with reasons
 */
public record FetchedArtifact(
    ArtifactRequest request,
    Path file,
    String sha256,
    long size,
    String servedBy,
    boolean fromCache,
    boolean hashed,
    Duration elapsed,
    long bytesTransferred,
    List<SourceFailure> failures) {

  public FetchedArtifact {
    failures = List.copyOf(failures);
  }

  /** An artifact that was hashed in this fetch exactly when it was not taken from the cache. */
  public FetchedArtifact(ArtifactRequest request, Path file, String sha256, long size, String servedBy,
      boolean fromCache, Duration elapsed, long bytesTransferred, List<SourceFailure> failures) {
    this(request, file, sha256, size, servedBy, fromCache, !fromCache, elapsed, bytesTransferred, failures);
  }
}
