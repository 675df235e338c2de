package io.github.pierdat.backend.ipfs.cid;

/**
 * A CID is malformed or uses something this implementation does not support. The message names the CID
 * (as given), what is wrong with it, and what is supported.
 */
public class CidFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public CidFormatException(String message) {
    super(message);
  }

  public CidFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
