package io.github.pierdat.backend.http;

import java.io.IOException;

/** Writing into the fetch target failed: the local disk's fault, not the server's, so never retried. */
final class TargetWriteException extends IOException {

  private static final long serialVersionUID = 1L;

  TargetWriteException(IOException cause) {
    super(cause.getMessage(), cause);
  }

  IOException local() {
    return (IOException) getCause();
  }
}
