package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.RandomAccessTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link RandomAccessTarget} that bt-core may keep writing to after the download returned: bt's disk
 * workers can still hold a block (an end-game duplicate of a verified piece) when its runtime is shut down.
 * {@link #close()} waits for writes in flight and then turns every later write into a no-op and every read
 * into an error, so the fetch target can hash and seal the file knowing no byte changes under it.
 */
final class FencedTarget implements RandomAccessTarget, AutoCloseable {

  private final RandomAccessTarget target;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  FencedTarget(RandomAccessTarget target) {
    this.target = target;
  }

  @Override
  public int write(ByteBuffer source, long position) throws IOException {
    lock.readLock().lock();
    try {
      if (closed) {
        // The download is over and its pieces verified: a late block is dropped, not written.
        int dropped = source.remaining();
        source.position(source.limit());
        return dropped;
      }
      return target.write(source, position);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public int read(ByteBuffer destination, long position) throws IOException {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IOException("the BitTorrent download has finished; its file is no longer readable here");
      }
      return target.read(destination, position);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long size() throws IOException {
    return target.size();
  }

  @Override
  public void truncate(long size) throws IOException {
    lock.readLock().lock();
    try {
      if (!closed) {
        target.truncate(size);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Waits for the writes in flight; every later write is dropped. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      closed = true;
    } finally {
      lock.writeLock().unlock();
    }
  }
}
