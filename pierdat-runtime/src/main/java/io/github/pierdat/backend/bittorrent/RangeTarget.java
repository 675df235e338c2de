package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.RandomAccessTarget;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A byte range of a file as a {@link FetchTarget}: what an HTTP range request for missing pieces writes
 * into. It takes the bytes from {@code start} up to {@code end} and nothing else.
 */
final class RangeTarget implements FetchTarget {

  private final RandomAccessTarget file;
  private final long start;
  private final long end;
  private long written;

  RangeTarget(RandomAccessTarget file, long start, long end) {
    this.file = file;
    this.start = start;
    this.end = end;
  }

  long written() {
    return written;
  }

  @Override
  public long position() {
    return start + written;
  }

  @Override
  public long limit() {
    return end;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int length = src.remaining();
    if (position() + length > end) {
      throw new IOException("the origin sent more than the " + (end - start) + " bytes asked for");
    }
    while (src.hasRemaining()) {
      file.write(src, start + written + (length - src.remaining()));
    }
    written += length;
    return length;
  }

  @Override
  public void reset() throws IOException {
    throw new IOException("the origin cannot continue the range it started");
  }

  @Override
  public void expectSize(long totalBytes) {
    // The file's size is the torrent's.
  }

  @Override
  public long knownSize() {
    return -1;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {
    // The file belongs to the download.
  }
}
