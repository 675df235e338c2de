package io.github.pierdat.fetch;

/**
 * Why one source did not deliver.
 *
 * @param source the source, without credentials
 * @param reason what went wrong
 */
public record SourceFailure(String source, String reason) {

  @Override
  public String toString() {
    return source + ": " + reason;
  }
}
