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
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Stores the artifact's file of a torrent in a {@link RandomAccessTarget}: the fetch target's own file, or a
 * staging file when the target only takes bytes in order. Bytes already there are kept, so bt verifies
 * them piece by piece and fetches only what is missing or wrong.
 *
 * <p>Of a multi-file torrent ({@link #ofOneFile}) only the chosen file goes to the target; every other file
 * goes to one sparse scratch file, deleted on {@link #close()}, because the pieces at the chosen file's edges
 * span its neighbours and bt verifies whole pieces. Pieces that lie wholly in other files are skipped by the
 * client's file selector, so the scratch file holds at most two pieces' worth of bytes.
 */
public final class TargetStorage implements Storage, AutoCloseable {

  private final RandomAccessTarget target;
  private final IntSupplier chosen;
  private final Path scratchDir;
  private FileChannel scratch;
  private Path scratchPath;

  /** Stores a single-file torrent; a multi-file torrent is refused. */
  public TargetStorage(RandomAccessTarget target) {
    this(target, () -> 0, null);
  }

  private TargetStorage(RandomAccessTarget target, IntSupplier chosen, Path scratchDir) {
    this.target = Objects.requireNonNull(target);
    this.chosen = chosen;
    this.scratchDir = scratchDir;
  }

  /**
   * Stores file number {@code chosen} of the torrent (known by the time bt asks for storage; -1 while it is
   * not, which puts every file in scratch) in {@code target}, and the torrent's other files in a scratch file
   * in {@code scratchDir}.
   */
  public static TargetStorage ofOneFile(RandomAccessTarget target, IntSupplier chosen, Path scratchDir) {
    return new TargetStorage(target, Objects.requireNonNull(chosen), Objects.requireNonNull(scratchDir));
  }

  @Override
  public synchronized StorageUnit getUnit(Torrent torrent, TorrentFile file) {
    List<TorrentFile> files = torrent.getFiles();
    if (files.size() != 1 || scratchDir != null) {
      if (scratchDir == null) {
        throw new IllegalStateException("torrent '" + torrent.getName() + "' has " + files.size()
            + " files; an artifact must be a single-file torrent");
      }
      int index = indexOf(files, file);
      if (index != chosen.getAsInt()) {
        long offset = 0;
        for (int i = 0; i < index; i++) {
          offset += files.get(i).getSize();
        }
        return new ScratchUnit(scratch(), offset, file.getSize());
      }
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
    // The target syncs when the fetcher completes it; scratch bytes are thrown away.
  }

  /** Deletes the scratch file, if one was made. */
  @Override
  public synchronized void close() throws IOException {
    if (scratch != null) {
      scratch.close();
      Files.deleteIfExists(scratchPath);
      scratch = null;
    }
  }

  private static int indexOf(List<TorrentFile> files, TorrentFile file) {
    for (int i = 0; i < files.size(); i++) {
      if (files.get(i) == file) {
        return i;
      }
    }
    int index = files.indexOf(file);
    if (index < 0) {
      throw new IllegalStateException("file " + file.getPathElements() + " is not one of the torrent's files");
    }
    return index;
  }

  private FileChannel scratch() {
    if (scratch == null) {
      try {
        Files.createDirectories(scratchDir);
        scratchPath = Files.createTempFile(scratchDir, "pierdat-bt-", ".neighbours");
        scratch = FileChannel.open(scratchPath, StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.SPARSE, StandardOpenOption.DELETE_ON_CLOSE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a scratch file in " + scratchDir, e);
      }
    }
    return scratch;
  }

  /** Another file of the torrent: a region of the scratch file, empty at first. */
  private static final class ScratchUnit implements StorageUnit {
    private final FileChannel channel;
    private final long base;
    private final long capacity;
    private final AtomicLong end = new AtomicLong();

    ScratchUnit(FileChannel channel, long base, long capacity) {
      this.channel = channel;
      this.base = base;
      this.capacity = capacity;
    }

    @Override
    public int readBlock(ByteBuffer buffer, long offset) {
      check(offset, buffer.remaining(), capacity);
      try {
        return channel.read(buffer, base + offset);
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + buffer.remaining() + " scratch bytes at " + offset + " failed", e);
      }
    }

    @Override
    public int writeBlock(ByteBuffer buffer, long offset) {
      check(offset, buffer.remaining(), capacity);
      try {
        int n = channel.write(buffer, base + offset);
        end.accumulateAndGet(offset + n, Math::max);
        return n;
      } catch (IOException e) {
        throw new UncheckedIOException("writing " + buffer.remaining() + " scratch bytes at " + offset + " failed", e);
      }
    }

    @Override
    public int writeBlock(ByteBufferView view, long offset) {
      return writeView(this, view, offset);
    }

    @Override
    public long capacity() {
      return capacity;
    }

    @Override
    public long size() {
      return end.get();
    }

    @Override
    public void close() {
      // The storage closes the scratch file.
    }
  }

  private static final ThreadLocal<byte[]> BLOCK = ThreadLocal.withInitial(() -> new byte[0]);

  /** bt 1.10's ByteBufferView.transferTo(ByteBuffer) copies the wrong way round; get(byte[]) is sound. */
  private static int writeView(StorageUnit unit, ByteBufferView view, long offset) {
    int start = view.position();
    int length = view.remaining();
    // One array per disk worker thread, reused while blocks keep their usual length (get(byte[]) fills a whole
    // array): a new one per block made a GiB of garbage per GiB downloaded.
    byte[] bytes = BLOCK.get();
    if (bytes.length != length) {
      bytes = new byte[length];
      BLOCK.set(bytes);
    }
    view.duplicate().get(bytes);
    int written = unit.writeBlock(ByteBuffer.wrap(bytes), offset);
    view.position(start + written);
    return written;
  }

  private static void check(long offset, int length, long capacity) {
    if (offset < 0 || offset > capacity - length) {
      throw new IllegalArgumentException("block of " + length + " bytes at " + offset
          + " lies outside the file of " + capacity + " bytes");
    }
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
      return writeView(this, view, offset);
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
      TargetStorage.check(offset, length, capacity);
    }
  }
}
