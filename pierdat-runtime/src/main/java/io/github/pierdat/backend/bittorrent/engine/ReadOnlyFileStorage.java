package io.github.pierdat.backend.bittorrent.engine;

import bt.data.Storage;
import bt.data.StorageUnit;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentFile;
import bt.net.buffer.ByteBufferView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Serves one complete file read-only. bt's own file storage opens every file for writing (and creating),
 * which fails on a read-only file in an image; this one opens it for reading only and refuses writes. Reads
 * after {@link #startServing()} are uploads and first pass through the {@link UploadGate}.
 */
public final class ReadOnlyFileStorage implements Storage {

  private final Path file;
  private final UploadGate gate;
  private final AtomicBoolean serving = new AtomicBoolean();
  private final LongAdder uploaded = new LongAdder();
  private final LongConsumer onUpload;

  public ReadOnlyFileStorage(Path file, UploadGate gate) {
    this(file, gate, n -> { });
  }

  /** A storage that also tells {@code onUpload} of every upload's bytes (for the agent's metrics). */
  public ReadOnlyFileStorage(Path file, UploadGate gate, LongConsumer onUpload) {
    this.file = file;
    this.gate = gate;
    this.onUpload = onUpload;
  }

  /** From now on reads are uploads to peers (before, bt reads the file to check its pieces). */
  public void startServing() {
    serving.set(true);
  }

  /** Whether bt has finished checking the file's pieces and offers it to peers. */
  public boolean isServing() {
    return serving.get();
  }

  /** Bytes read for peers since {@link #startServing()}. */
  public long uploaded() {
    return uploaded.sum();
  }

  @Override
  public StorageUnit getUnit(Torrent torrent, TorrentFile torrentFile) {
    if (torrent.getFiles().size() != 1) {
      throw new IllegalStateException("torrent '" + torrent.getName() + "' has " + torrent.getFiles().size()
          + " files; pierdat seeds single-file torrents");
    }
    return new Unit(torrentFile.getSize());
  }

  @Override
  public void flush() {
    // nothing is ever written
  }

  private final class Unit implements StorageUnit {
    private final long capacity;
    private FileChannel channel;

    Unit(long capacity) {
      this.capacity = capacity;
    }

    private synchronized FileChannel channel() throws IOException {
      if (channel == null || !channel.isOpen()) {
        channel = FileChannel.open(file, StandardOpenOption.READ);
      }
      return channel;
    }

    @Override
    public int readBlock(ByteBuffer buffer, long offset) {
      if (offset < 0 || offset > capacity - buffer.remaining()) {
        throw new IllegalArgumentException("block of " + buffer.remaining() + " bytes at " + offset
            + " lies outside " + file + " (" + capacity + " bytes)");
      }
      int wanted = buffer.remaining();
      if (wanted == 0) {
        return 0;
      }
      int allowed = serving.get() ? gate.acquire(wanted) : wanted;
      int limit = buffer.limit();
      buffer.limit(buffer.position() + allowed);
      try {
        int n = channel().read(buffer, offset);
        if (n > 0 && serving.get()) {
          uploaded.add(n);
          onUpload.accept(n);
        }
        return n;
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + allowed + " bytes at " + offset + " of " + file + " failed", e);
      } finally {
        buffer.limit(limit);
      }
    }

    @Override
    public int writeBlock(ByteBuffer buffer, long offset) {
      return refuse(buffer.remaining(), offset);
    }

    @Override
    public int writeBlock(ByteBufferView buffer, long offset) {
      return refuse(buffer.remaining(), offset);
    }

    private int refuse(int length, long offset) {
      if (length == 0) {
        return 0; // bt "creates" empty files with an empty write
      }
      throw new IllegalStateException("refusing to write " + length + " bytes at " + offset + " into " + file
          + ": seeded files are read-only");
    }

    @Override
    public long capacity() {
      return capacity;
    }

    @Override
    public long size() {
      try {
        return channel().size();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the size of " + file, e);
      }
    }

    @Override
    public synchronized void close() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }
  }
}
