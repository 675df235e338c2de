package io.github.pierdat.backend.ipfs.unixfs;

import java.io.IOException;

/**
 * Verified blocks that do not make a UnixFS file: a directory or symlink CID, an unsupported node, or a DAG
 * whose sizes contradict each other. Since the blocks are verified, every source gives the same answer.
 */
public class UnixFsException extends IOException {

  private static final long serialVersionUID = 1L;

  public UnixFsException(String message) {
    super(message);
  }

  public UnixFsException(String message, Throwable cause) {
    super(message, cause);
  }
}
