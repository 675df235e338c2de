package io.github.pierdat.backend;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Positional access to the file behind a {@link FetchTarget}, for backends whose bytes arrive out of order
 * (BitTorrent pieces) and that must read back what they wrote (to verify pieces or resume). Bytes written
 * here are not hashed as they arrive: the target hashes them once the backend reports them {@link #verified}
 * (in order, while the rest arrives), and whatever is left once the backend returns.
 */
public interface RandomAccessTarget {

  /** Writes the remaining bytes of {@code source} at {@code position}; returns how many were written. */
  int write(ByteBuffer source, long position) throws IOException;

  /** Reads into {@code destination} from {@code position}; returns the count, or -1 at the end of the file. */
  int read(ByteBuffer destination, long position) throws IOException;

  /** The current size of the file. */
  long size() throws IOException;

  /** Cuts the file to {@code size} bytes if it is longer. */
  void truncate(long size) throws IOException;

  /**
   * Tells the target that these bytes are final: checked against the source's own hashes (a BitTorrent piece),
   * and the backend writes there no more. The target may hash them at once; the default ignores it.
   */
  default void verified(long position, long length) {}
}
