package io.github.pierdat.testing;

import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.RandomAccessTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** A fetch target on a plain file, with or without positional access, for backend tests. */
public final class FileTarget implements FetchTarget {

  private final Path file;
  private final FileChannel channel;
  private final boolean randomAccess;
  private long expected = -1;
  private boolean usedWrite;
  private boolean usedRandomAccess;

  /** A target that takes bytes in order only. */
  public FileTarget(Path file) throws IOException {
    this(file, false);
  }

  /** A target over {@code file}; with {@code randomAccess}, it also offers positional writes. */
  public FileTarget(Path file, boolean randomAccess) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    channel.position(channel.size());
    this.randomAccess = randomAccess;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    usedWrite = true;
    return channel.write(src);
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
  }

  @Override
  public void expectSize(long totalBytes) {
    expected = totalBytes;
  }

  @Override
  public long knownSize() {
    return -1;
  }

  /** The file written to. */
  public Path file() {
    return file;
  }

  public long expectedSize() {
    return expected;
  }

  public boolean usedWrite() {
    return usedWrite;
  }

  public boolean usedRandomAccess() {
    return usedRandomAccess;
  }

  @Override
  public Optional<RandomAccessTarget> randomAccess() {
    if (!randomAccess) {
      return Optional.empty();
    }
    return Optional.of(new RandomAccessTarget() {
      @Override
      public int write(ByteBuffer source, long position) throws IOException {
        usedRandomAccess = true;
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
    });
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
