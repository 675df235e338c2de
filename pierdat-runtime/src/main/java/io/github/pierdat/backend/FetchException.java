package io.github.pierdat.backend;

/**
 * A source could not deliver the artifact. The message names the reason (status, host, what to do) and
 * never contains credentials.
 */
public class FetchException extends Exception {

  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public FetchException(String message) {
    this(message, false, null);
  }

  public FetchException(String message, Throwable cause) {
    this(message, false, cause);
  }

  public FetchException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** True when trying the same source again later might succeed (5xx, connection reset, timeout). */
  public boolean isRetryable() {
    return retryable;
  }
}
