package io.github.pierdat.fetch;

import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.progress.Units;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive right to fetch one sha256 into the cache, across threads and processes. A file lock alone is
 * not enough: within one JVM a second {@link FileChannel#lock()} on the same file throws
 * {@link java.nio.channels.OverlappingFileLockException} instead of waiting, so threads queue on an in-JVM
 * lock first. The lock file itself is left in place (deleting it would let two processes lock different
 * files of the same name).
 */
final class CacheLock implements AutoCloseable {

  /** In-JVM locks by lock file, counted so that they are dropped when no thread holds or waits for them. */
  private static final Map<Path, Entry> LOCKS = new HashMap<>();

  private final Path file;
  private final Entry entry;
  private final FileChannel channel;
  private final FileLock lock;

  private CacheLock(Path file, Entry entry, FileChannel channel, FileLock lock) {
    this.file = file;
    this.entry = entry;
    this.channel = channel;
    this.lock = lock;
  }

  static CacheLock acquire(Path file, String artifactName, FetchLog log) throws IOException {
    long start = System.nanoTime();
    Entry entry = enter(file);
    boolean done = false;
    try {
      if (!entry.lock.tryLock()) {
        log.info("[pierdat] " + artifactName + ": waiting for another thread fetching it");
        entry.lock.lockInterruptibly();
      }
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          log.info("[pierdat] " + artifactName + ": waiting for another process fetching it (lock " + file + ")");
          lock = channel.lock();
        }
        long waited = System.nanoTime() - start;
        if (waited > Duration.ofSeconds(1).toNanos()) {
          log.debug("[pierdat] " + artifactName + ": got the cache lock after "
              + Units.duration(Duration.ofNanos(waited)));
        }
        done = true;
        return new CacheLock(file, entry, channel, lock);
      } finally {
        if (!done) {
          channel.close();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the cache lock " + file);
    } finally {
      if (!done) {
        if (entry.lock.isHeldByCurrentThread()) {
          entry.lock.unlock();
        }
        leave(file, entry);
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      entry.lock.unlock();
      leave(file, entry);
    }
  }

  private static Entry enter(Path file) {
    synchronized (LOCKS) {
      Entry entry = LOCKS.computeIfAbsent(file, f -> new Entry());
      entry.users++;
      return entry;
    }
  }

  private static void leave(Path file, Entry entry) {
    synchronized (LOCKS) {
      if (--entry.users == 0) {
        LOCKS.remove(file);
      }
    }
  }

  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }
}
