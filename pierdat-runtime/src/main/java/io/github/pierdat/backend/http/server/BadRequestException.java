package io.github.pierdat.backend.http.server;

/** A request the server answers with an error status and then closes the connection. */
final class BadRequestException extends Exception {

  private static final long serialVersionUID = 1L;
  private final int status;

  BadRequestException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
