package io.github.pierdat.fetch;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.SeedSpecHasher;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Computes the backends' seed specs (a torrent's piece hashes, a CID) on a second thread that reads a
 * download file right behind the writer, so they cost no pass over the file after the download. It reads
 * what the writer has flushed (still in the page cache) from byte 0, so a resumed download is covered too.
 *
 * <p>Best effort: if it cannot keep up with a change (the download restarted from zero) or fails, it is
 * abandoned and the specs are computed from the finished file as before.
 */
final class SeedSpecPass {

  private static final int CHUNK = 1 << 20;

  private final Path file;
  private final long size;
  private final Map<Backend, SeedSpecHasher> hashers;
  private final Thread thread;
  private volatile long available;
  private volatile boolean abandoned;
  /** The writer is done: a file that ends before {@link #size} will not grow any more. */
  private volatile boolean writerDone;
  private volatile IOException failure;
  private long read;

  private SeedSpecPass(Path file, long size, Map<Backend, SeedSpecHasher> hashers) {
    this.file = file;
    this.size = size;
    this.hashers = hashers;
    this.thread = new Thread(this::run, "pierdat-seed-specs");
    thread.setDaemon(true);
  }

  /** Starts a pass over {@code file}, which will hold {@code size} bytes; empty when no backend wants one. */
  static Optional<SeedSpecPass> start(Path file, long size, List<Backend> backends) {
    Map<Backend, SeedSpecHasher> hashers = new LinkedHashMap<>();
    for (Backend backend : backends) {
      backend.seedSpecHasher(size).ifPresent(h -> hashers.put(backend, h));
    }
    if (hashers.isEmpty()) {
      return Optional.empty();
    }
    SeedSpecPass pass = new SeedSpecPass(file, size, hashers);
    pass.thread.start();
    return Optional.of(pass);
  }

  /** The hasher of the backend named {@code name}, if it has one in this pass. */
  Optional<SeedSpecHasher> hasher(String name) {
    for (Map.Entry<Backend, SeedSpecHasher> e : hashers.entrySet()) {
      if (e.getKey().name().equals(name)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /** The writer has flushed the file up to {@code position}. */
  void available(long position) {
    if (position > available) {
      available = position;
      LockSupport.unpark(thread);
    }
  }

  /** Stops the pass for good; its results are never used. */
  void abandon() {
    abandoned = true;
    LockSupport.unpark(thread);
  }

  /**
   * Waits for the pass to read the last byte and returns each backend's spec for {@code artifact}, whose
   * verified bytes are now in {@code committed}; empty if the pass was abandoned or failed.
   */
  Optional<Map<Backend, Optional<SeedEntry>>> finish(ArtifactEntry artifact, Path committed)
      throws IOException, InterruptedException {
    awaitRead();
    if (abandoned || failure != null || read != size || artifact.size() != size) {
      return Optional.empty();
    }
    Map<Backend, Optional<SeedEntry>> specs = new LinkedHashMap<>();
    for (Map.Entry<Backend, SeedSpecHasher> e : hashers.entrySet()) {
      specs.put(e.getKey(), e.getValue().finish(artifact, committed));
    }
    return Optional.of(specs);
  }

  /** Waits until the pass has read everything flushed so far; for the fetcher before it moves the file. */
  void awaitRead() throws InterruptedException {
    writerDone = true;
    available(size);
    thread.join();
  }

  private void run() {
    byte[] buffer = new byte[CHUNK];
    ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (read < size && !abandoned) {
        long limit = available;
        if (read >= limit) {
          LockSupport.parkNanos(this, 5_000_000L);
          continue;
        }
        wrapped.clear().limit((int) Math.min(CHUNK, limit - read));
        int n = channel.read(wrapped, read);
        if (n <= 0) {
          if (writerDone) {
            // The download ended at another size than the one announced: no spec from this pass.
            throw new IOException(file + " ends at byte " + read + ", before the " + size + " bytes announced");
          }
          // Shorter than flushed: the file was truncated under us (a restart); the fetcher abandons us.
          LockSupport.parkNanos(this, 5_000_000L);
          continue;
        }
        for (SeedSpecHasher hasher : hashers.values()) {
          hasher.update(buffer, 0, n);
        }
        read += n;
      }
    } catch (IOException | RuntimeException e) {
      failure = e instanceof IOException io ? io : new IOException(e);
    }
  }
}
