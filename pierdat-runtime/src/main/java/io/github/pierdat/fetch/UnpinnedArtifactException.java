package io.github.pierdat.fetch;

import java.util.List;

/**
 * An artifact without a sha256 was fetched (and cached) but not accepted: its bytes must be checked and
 * pinned first. Carries the sha256 they have, so each front end can say how to pin it in its own terms
 * (a {@code <sha256>} element, a {@code --sha256} flag).
 */
public class UnpinnedArtifactException extends ArtifactFetchException {

  private static final long serialVersionUID = 1L;
  private final String sha256;
  private final String source;

  public UnpinnedArtifactException(String message, String sha256, String source, List<SourceFailure> failures) {
    super(message, failures);
    this.sha256 = sha256;
    this.source = source;
  }

  /** The sha256 of the bytes fetched, lowercase hex. */
  public String sha256() {
    return sha256;
  }

  /** The source that delivered them, without credentials. */
  public String source() {
    return source;
  }
}
