package io.github.pierdat.backend.ipfs.car;

import java.io.IOException;

/** A CAR stream is malformed: bad header, truncated section, oversized block, malformed CID. */
public class CarFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  public CarFormatException(String message) {
    super(message);
  }

  public CarFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
