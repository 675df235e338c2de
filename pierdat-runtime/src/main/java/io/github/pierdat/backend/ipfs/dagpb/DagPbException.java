package io.github.pierdat.backend.ipfs.dagpb;

import java.io.IOException;

/** Bytes that should be a dag-pb node or a UnixFS message are not well-formed protobuf of that shape. */
public class DagPbException extends IOException {

  private static final long serialVersionUID = 1L;

  public DagPbException(String message) {
    super(message);
  }

  public DagPbException(String message, Throwable cause) {
    super(message, cause);
  }
}
