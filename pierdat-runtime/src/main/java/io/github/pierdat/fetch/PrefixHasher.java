package io.github.pierdat.fetch;

import io.github.pierdat.hash.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Hashes a file written out of order (BitTorrent pieces) front to back while it is written: a second thread
 * hashes the longest prefix whose bytes the backend reported final ({@link #verified}), reading them back
 * from the page cache, so that when the last piece lands only the bytes after that prefix are left to hash.
 *
 * <p>Bytes are hashed only once reported final, and the backend drops later writes into them, so the hash
 * is that of the file's bytes when it is sealed.
 */
final class PrefixHasher {

  private static final int CHUNK = 1 << 20;

  private final FileChannel channel;
  private final LongConsumer hashedUpTo;
  private final MessageDigest digest = Sha256.newDigest();
  private final Thread thread;
  /** Final ranges after the prefix, start to end (exclusive); guarded by {@code this}. */
  private final NavigableMap<Long, Long> ahead = new TreeMap<>();
  /** End of the final prefix: bytes [0, prefix) may be hashed. */
  private volatile long prefix;
  /** Bytes hashed so far (read by the thread only, until it has ended). */
  private volatile long hashed;
  private volatile boolean stopped;
  private volatile boolean abandoned;
  private volatile IOException failure;

  private PrefixHasher(FileChannel channel, LongConsumer hashedUpTo) {
    this.channel = channel;
    this.hashedUpTo = hashedUpTo;
    this.thread = new Thread(this::run, "pierdat-prefix-hash");
    thread.setDaemon(true);
  }

  /**
   * Starts hashing {@code channel}'s file as its prefix becomes final; {@code hashedUpTo} hears, on the
   * hashing thread, how far the hashed (hence final) prefix reaches.
   */
  static PrefixHasher start(FileChannel channel, LongConsumer hashedUpTo) {
    PrefixHasher hasher = new PrefixHasher(channel, hashedUpTo);
    hasher.thread.start();
    return hasher;
  }

  /** The bytes in [position, position + length) are final. */
  void verified(long position, long length) {
    if (length <= 0) {
      return;
    }
    long end = position + length;
    synchronized (this) {
      if (position > prefix) {
        ahead.merge(position, end, Math::max);
        return;
      }
      long reach = Math.max(prefix, end);
      for (Map.Entry<Long, Long> next = ahead.firstEntry(); next != null && next.getKey() <= reach;
          next = ahead.firstEntry()) {
        reach = Math.max(reach, next.getValue());
        ahead.pollFirstEntry();
      }
      if (reach == prefix) {
        return;
      }
      prefix = reach;
    }
    LockSupport.unpark(thread);
  }

  /** Bytes hashed so far: a final prefix of the file. */
  long hashed() {
    return hashed;
  }

  /**
   * Declares the whole file ({@code size} bytes) final, waits until it is hashed and returns its sha256;
   * empty when hashing failed (the caller then hashes the file itself).
   */
  Optional<String> finish(long size) throws InterruptedException {
    verified(0, size);
    stopped = true;
    LockSupport.unpark(thread);
    thread.join();
    if (failure != null || hashed != size) {
      return Optional.empty();
    }
    return Optional.of(Sha256.hex(digest.digest()));
  }

  /** Stops hashing for good (the download restarted or failed); waits for the thread to end. */
  void abandon() throws InterruptedException {
    abandoned = true;
    LockSupport.unpark(thread);
    thread.join();
  }

  private void run() {
    byte[] buffer = new byte[CHUNK];
    ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    long done = 0;
    try {
      while (!abandoned) {
        long limit = prefix;
        if (done >= limit) {
          if (stopped) {
            return;
          }
          LockSupport.parkNanos(this, 20_000_000L);
          continue;
        }
        wrapped.clear().limit((int) Math.min(CHUNK, limit - done));
        int n = channel.read(wrapped, done);
        if (n <= 0) {
          throw new IOException("the file ends at byte " + done + ", before its final prefix (" + limit + ")");
        }
        digest.update(buffer, 0, n);
        done += n;
        hashed = done;
        hashedUpTo.accept(done);
      }
    } catch (IOException | RuntimeException e) {
      failure = e instanceof IOException io ? io : new IOException(e);
    }
  }
}
