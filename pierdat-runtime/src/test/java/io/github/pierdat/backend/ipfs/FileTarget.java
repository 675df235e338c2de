package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.FetchTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A FetchTarget over a file, as the fetcher provides one: bytes append; position is the file size. */
final class FileTarget implements FetchTarget {

  private final FileChannel channel;
  private final Path file;
  long expectedSize = -1;
  int resets;

  FileTarget(Path file) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    channel.position(channel.size());
  }

  Path file() {
    return file;
  }

  @Override
  public long position() {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void reset() throws IOException {
    channel.truncate(0);
    channel.position(0);
    resets++;
  }

  @Override
  public void expectSize(long totalBytes) {
    expectedSize = totalBytes;
  }

  @Override
  public long knownSize() {
    return -1;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return channel.write(src);
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
