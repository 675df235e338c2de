package io.github.pierdat.backend.bittorrent.engine;

import bt.data.Storage;
import bt.data.StorageUnit;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentFile;
import bt.net.buffer.ByteBufferView;
import io.github.pierdat.backend.RandomAccessTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Stores the one file of a single-file torrent in a {@link RandomAccessTarget}: the fetch target's own file,
 * or a staging file when the target only takes bytes in order. Bytes already there are kept, so bt verifies
 * them piece by piece and fetches only what is missing or wrong.
 */
public final class TargetStorage implements Storage {

  private final RandomAccessTarget target;

  public TargetStorage(RandomAccessTarget target) {
    this.target = target;
  }

  @Override
  public StorageUnit getUnit(Torrent torrent, TorrentFile file) {
    if (torrent.getFiles().size() != 1) {
      throw new IllegalStateException("torrent '" + torrent.getName() + "' has " + torrent.getFiles().size()
          + " files; an artifact must be a single-file torrent");
    }
    long capacity = file.getSize();
    try {
      if (target.size() > capacity) {
        target.truncate(capacity);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Unit(capacity);
  }

  @Override
  public void flush() {
    // The target syncs when the fetcher completes it.
  }

  private final class Unit implements StorageUnit {
    private final long capacity;

    Unit(long capacity) {
      this.capacity = capacity;
    }

    @Override
    public int readBlock(ByteBuffer buffer, long offset) {
      check(offset, buffer.remaining());
      try {
        return target.read(buffer, offset);
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + buffer.remaining() + " bytes at " + offset + " failed", e);
      }
    }

    @Override
    public int writeBlock(ByteBuffer buffer, long offset) {
      check(offset, buffer.remaining());
      try {
        return target.write(buffer, offset);
      } catch (IOException e) {
        throw new UncheckedIOException("writing " + buffer.remaining() + " bytes at " + offset + " failed", e);
      }
    }

    @Override
    public int writeBlock(ByteBufferView view, long offset) {
      // bt 1.10's ByteBufferView.transferTo(ByteBuffer) copies the wrong way round; get(byte[]) is sound.
      int start = view.position();
      byte[] bytes = new byte[view.remaining()];
      view.duplicate().get(bytes);
      int written = writeBlock(ByteBuffer.wrap(bytes), offset);
      view.position(start + written);
      return written;
    }

    @Override
    public long capacity() {
      return capacity;
    }

    @Override
    public long size() {
      try {
        return Math.min(target.size(), capacity);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      // The fetcher owns the target.
    }

    private void check(long offset, int length) {
      if (offset < 0 || offset > capacity - length) {
        throw new IllegalArgumentException("block of " + length + " bytes at " + offset
            + " lies outside the file of " + capacity + " bytes");
      }
    }
  }
}
