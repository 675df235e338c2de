package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.RandomAccessTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A temporary file pieces are written to when the fetch target only takes bytes in order; once complete
 * it is copied into the target from the start. Deleted on {@link #close()}.
 */
final class StagingFile implements RandomAccessTarget, AutoCloseable {

  private final Path path;
  private final FileChannel channel;

  StagingFile(Path directory) throws IOException {
    Files.createDirectories(directory);
    this.path = Files.createTempFile(directory, "pierdat-bt-", ".part");
    this.channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
        StandardOpenOption.DELETE_ON_CLOSE);
  }

  @Override
  public int write(ByteBuffer source, long position) throws IOException {
    return channel.write(source, position);
  }

  @Override
  public int read(ByteBuffer destination, long position) throws IOException {
    return channel.read(destination, position);
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public void truncate(long size) throws IOException {
    channel.truncate(size);
  }

  /** Writes every staged byte into {@code target}, which must be empty. */
  void copyTo(FetchTarget target) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    long position = 0;
    long size = channel.size();
    while (position < size) {
      buffer.clear();
      int n = channel.read(buffer, position);
      if (n < 0) {
        break;
      }
      position += n;
      buffer.flip();
      while (buffer.hasRemaining()) {
        target.write(buffer);
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
    Files.deleteIfExists(path);
  }
}
