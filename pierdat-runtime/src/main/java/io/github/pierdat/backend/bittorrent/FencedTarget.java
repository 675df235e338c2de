package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.RandomAccessTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link RandomAccessTarget} that bt-core may keep writing to after the download returned: bt's disk
 * workers can still hold a block (an end-game duplicate of a verified piece) when its runtime is shut down.
 * {@link #close()} waits for writes in flight and then turns every later write into a no-op and every read
 * into an error, so the fetch target can hash and seal the file knowing no byte changes under it.
 *
 * <p>The same holds piece by piece while the download runs: once a range is {@link #verified}, writes into
 * it are dropped, so the fetch target may hash it at once (a late duplicate block, honest or not, can no
 * longer change bytes that were hashed).
 */
final class FencedTarget implements RandomAccessTarget, AutoCloseable {

  private final RandomAccessTarget target;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;
  /** Verified ranges, start to end (exclusive), merged; changed only under the write lock. */
  private final NavigableMap<Long, Long> verified = new TreeMap<>();

  FencedTarget(RandomAccessTarget target) {
    this.target = target;
  }

  @Override
  public int write(ByteBuffer source, long position) throws IOException {
    lock.readLock().lock();
    try {
      if (closed || isVerified(position, source.remaining())) {
        // The download is over (or this piece verified): a late block is dropped, not written.
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

  /**
   * Waits for the writes in flight, then drops every later write into this range and passes it on as
   * verified.
   */
  @Override
  public void verified(long position, long length) {
    if (length <= 0) {
      return;
    }
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      long start = position;
      long end = position + length;
      Map.Entry<Long, Long> before = verified.floorEntry(start);
      if (before != null && before.getValue() >= start) {
        start = before.getKey();
        end = Math.max(end, before.getValue());
      }
      for (Map.Entry<Long, Long> next = verified.ceilingEntry(start); next != null && next.getKey() <= end;
          next = verified.ceilingEntry(start)) {
        end = Math.max(end, next.getValue());
        verified.remove(next.getKey());
      }
      verified.put(start, end);
      target.verified(position, length);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Whether a write here would touch verified bytes (bt's blocks lie within one piece: all or nothing). */
  private boolean isVerified(long position, int length) {
    Map.Entry<Long, Long> range = length > 0 ? verified.floorEntry(position + length - 1) : null;
    return range != null && range.getValue() > position;
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
