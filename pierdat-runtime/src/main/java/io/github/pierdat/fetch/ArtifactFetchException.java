package io.github.pierdat.fetch;

import java.util.List;

/**
 * An artifact could not be fetched and verified. The message names the artifact, the field or source at
 * fault, the value, and what to do; {@link #failures()} lists each source tried.
 */
public class ArtifactFetchException extends Exception {

  private static final long serialVersionUID = 1L;
  private final transient List<SourceFailure> failures;

  public ArtifactFetchException(String message, List<SourceFailure> failures) {
    super(message);
    this.failures = List.copyOf(failures);
  }

  public List<SourceFailure> failures() {
    return failures;
  }
}
