package io.github.pierdat.backend.bittorrent.metainfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes the sha1 of every piece of a file. Either feed bytes in order with {@link #update(ByteBuffer)}
 * (e.g. while a download is being written) and call {@link #finish()}, or hash a whole file with
 * {@link #hashFile(Path, long)}, which reads large blocks on several threads.
 */
public final class PieceHasher {

  /** Each thread of {@link #hashFile} reads this many pieces' worth of bytes per task (about 64 MiB). */
  private static final long TASK_BYTES = 64L << 20;
  private static final int READ_BUFFER = 4 << 20;

  private final long pieceLength;
  private final MessageDigest digest = sha1();
  private final java.io.ByteArrayOutputStream hashes = new java.io.ByteArrayOutputStream();
  private long inPiece;
  private long total;

  public PieceHasher(long pieceLength) {
    if (pieceLength <= 0) {
      throw new IllegalArgumentException("pieceLength must be > 0, was " + pieceLength);
    }
    this.pieceLength = pieceLength;
  }

  /** Hashes the remaining bytes of {@code data}, which follow everything given before. */
  public void update(ByteBuffer data) {
    while (data.hasRemaining()) {
      int n = (int) Math.min(data.remaining(), pieceLength - inPiece);
      ByteBuffer slice = data.slice();
      slice.limit(n);
      digest.update(slice);
      data.position(data.position() + n);
      inPiece += n;
      total += n;
      if (inPiece == pieceLength) {
        hashes.writeBytes(digest.digest());
        inPiece = 0;
      }
    }
  }

  /** Bytes hashed so far. */
  public long size() {
    return total;
  }

  /** The concatenated piece hashes, including a last short piece. */
  public byte[] finish() {
    if (inPiece > 0) {
      hashes.writeBytes(digest.digest());
      inPiece = 0;
    }
    return hashes.toByteArray();
  }

  /** The piece hashes of {@code file}, read in large blocks on up to 4 threads. */
  public static byte[] hashFile(Path file, long pieceLength) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long pieces = (size + pieceLength - 1) / pieceLength;
      long piecesPerTask = Math.max(1, TASK_BYTES / pieceLength);
      int threads = (int) Math.min(Math.min(4, Runtime.getRuntime().availableProcessors()),
          Math.max(1, (pieces + piecesPerTask - 1) / piecesPerTask));
      if (threads <= 1) {
        return hashRange(channel, 0, pieces, pieceLength, size, ByteBuffer.allocateDirect(READ_BUFFER));
      }
      int tasks = (int) ((pieces + piecesPerTask - 1) / piecesPerTask);
      byte[][] parts = new byte[tasks][];
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "pierdat-piece-hasher");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          workers.add(pool.submit(() -> {
            // One read buffer per thread for the whole file: a direct buffer per task would only be freed by
            // a GC, so a big heap with little garbage grew by 4 MiB of native memory per 64 MiB hashed.
            ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER);
            for (int task = next.getAndIncrement(); task < tasks; task = next.getAndIncrement()) {
              long from = task * piecesPerTask;
              long to = Math.min(pieces, from + piecesPerTask);
              parts[task] = hashRange(channel, from, to, pieceLength, size, buffer);
            }
            return null;
          }));
        }
        for (Future<?> worker : workers) {
          worker.get();
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) pieces * 20);
        for (byte[] part : parts) {
          out.writeBytes(part);
        }
        return out.toByteArray();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while hashing " + file, e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UncheckedIOException u) {
          throw u.getCause();
        }
        throw new IOException("failed to hash " + file + ": " + e.getCause(), e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static byte[] hashRange(FileChannel channel, long fromPiece, long toPiece, long pieceLength, long size,
      ByteBuffer buffer) {
    PieceHasher hasher = new PieceHasher(pieceLength);
    long position = fromPiece * pieceLength;
    long end = Math.min(size, toPiece * pieceLength);
    try {
      while (position < end) {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), end - position));
        int n = channel.read(buffer, position);
        if (n < 0) {
          throw new IOException("file shrank while hashing: ended at " + position + " of " + size + " bytes");
        }
        position += n;
        buffer.flip();
        hasher.update(buffer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return hasher.finish();
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
