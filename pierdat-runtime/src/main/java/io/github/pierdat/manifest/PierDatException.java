package io.github.pierdat.manifest;

/** pier.dat is missing, unreadable, malformed, or of a version this code does not know. */
public class PierDatException extends Exception {

  private static final long serialVersionUID = 1L;

  public PierDatException(String message) {
    super(message);
  }

  public PierDatException(String message, Throwable cause) {
    super(message, cause);
  }
}
