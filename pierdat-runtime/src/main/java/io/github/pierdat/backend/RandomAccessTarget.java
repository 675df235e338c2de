package io.github.pierdat.backend;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Positional access to the file behind a {@link FetchTarget}, for backends whose bytes arrive out of order
 * (BitTorrent pieces) and that must read back what they wrote (to verify pieces or resume). Bytes written
 * here are not hashed as they arrive: the target hashes the whole file once the backend returns.
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
}
