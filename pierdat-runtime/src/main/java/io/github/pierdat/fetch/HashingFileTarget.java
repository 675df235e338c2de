package io.github.pierdat.fetch;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.RandomAccessTarget;
import io.github.pierdat.backend.SeedSpecHasher;
import io.github.pierdat.fs.Durability;
import io.github.pierdat.hash.Sha256;
import io.github.pierdat.progress.Progress;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link FetchTarget} over a download file that hashes bytes as they are written, so a fetch reads the
 * network once and never re-reads the file. Writes are gathered in a 1 MiB buffer so a backend that
 * delivers small chunks still costs one write call per MiB. An existing file (an interrupted download) is
 * hashed once when opened and then appended to.
 *
 * <p>Errors writing the file are remembered ({@link #localFailure()}) so the fetcher can tell a full disk
 * from a failing source.
 */
final class HashingFileTarget implements FetchTarget, AutoCloseable {

  private static final int BUFFER_SIZE = 1 << 20;

  private final Path file;
  private final String name;
  private final FetchLog log;
  private final FileChannel channel;
  private final MessageDigest digest = Sha256.newDigest();
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
  private long position;
  private long flushed;
  private long received;
  private long attemptStart;
  private boolean resetSinceAttempt;
  private IOException localFailure;
  private Progress progress;
  private boolean open = true;
  private String imagePath;
  private List<Backend> seedSpecBackends = List.of();
  private volatile SeedSpecPass seedSpecPass;
  /** The download's size once a backend said it, else -1. */
  private long expectedSize = -1;
  /** Set while a backend writes by position (out of order): its final prefix is hashed as it grows. */
  private volatile boolean positional;
  private PrefixHasher prefixHasher;
  /**
   * The backend's own channel to the file while it writes by position. Its threads may be interrupted inside
   * a read or write (bt-core's shutdown interrupts its disk workers), which closes the channel they were
   * using: a separate one keeps {@link #channel}, which hashes and seals the file, open.
   */
  private FileChannel positionalChannel;
  private final LongAdder positionalBytes = new LongAdder();

  private HashingFileTarget(Path file, String name, FetchLog log, FileChannel channel) {
    this.file = file;
    this.name = name;
    this.log = log;
    this.channel = channel;
    this.progress = Progress.start("[pierdat] " + name + ": fetching", -1, log);
  }

  /**
   * Opens {@code file} for a download, keeping and hashing the bytes already there (logging progress for
   * a large prefix) so the next write appends.
   */
  static HashingFileTarget open(Path file, String name, FetchLog log) throws IOException {
    // READ as well: a backend writing by position reads pieces back to check them.
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    HashingFileTarget target = new HashingFileTarget(file, name, log, channel);
    try {
      long existing = channel.size();
      if (existing > 0) {
        Progress check = Progress.start("[pierdat] " + name + ": checking the partial download", existing, log);
        long hashed = Sha256.update(target.digest, file, existing, check::update);
        check.finish();
        target.position = hashed;
        target.flushed = hashed;
        channel.position(hashed);
        log.debug("[pierdat] " + name + ": resuming after " + hashed + " bytes in " + file);
      }
      return target;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Tells backends where the artifact will live ({@link #imagePath()}). */
  HashingFileTarget imagePath(String path) {
    this.imagePath = path;
    return this;
  }

  /**
   * Computes these backends' seed specs from the bytes as they are written, on a second thread, once the
   * download's size is known ({@link #seedSpecPass()}).
   */
  HashingFileTarget seedSpecsFor(List<Backend> backends) {
    this.seedSpecBackends = List.copyOf(backends);
    return this;
  }

  /** The seed spec pass over this download, if one runs and nothing has invalidated it. */
  Optional<SeedSpecPass> seedSpecPass() {
    return Optional.ofNullable(seedSpecPass);
  }

  @Override
  public Optional<SeedSpecHasher> seedSpecHasher(String backend) {
    return seedSpecPass == null ? Optional.empty() : seedSpecPass.hasher(backend);
  }

  @Override
  public Optional<String> imagePath() {
    return Optional.ofNullable(imagePath);
  }

  /** Starts an attempt from {@code source}: progress is reported under that name. */
  void beginAttempt(String source) {
    progress.finish();
    progress = Progress.start("[pierdat] " + name + ": fetching from " + source, -1, log);
    progress.baseline(position);
    attemptStart = position;
    resetSinceAttempt = false;
  }

  /** True if the attempt begun last kept bytes that were there before it (it resumed). */
  boolean resumedInAttempt() {
    return attemptStart > 0 && !resetSinceAttempt;
  }

  /** Bytes written by backends since this target was opened (network bytes, including discarded ones). */
  long received() {
    return received + positionalBytes.sum();
  }

  /** The error writing the file, if one happened; such an error is the cache's fault, not the source's. */
  IOException localFailure() {
    return localFailure;
  }

  Path file() {
    return file;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    int start = src.position();
    int limit = src.limit();
    int length = limit - start;
    digest.update(src);
    src.position(start);
    try {
      if (buffer.position() == 0 && length >= buffer.capacity()) {
        writeFully(src);
        flushed = channel.position();
        if (seedSpecPass != null) {
          seedSpecPass.available(flushed);
        }
      } else {
        while (src.hasRemaining()) {
          if (!buffer.hasRemaining()) {
            flush();
          }
          int chunk = Math.min(buffer.remaining(), src.remaining());
          src.limit(src.position() + chunk);
          buffer.put(src);
          src.limit(limit);
        }
      }
    } catch (IOException e) {
      localFailure = e;
      throw e;
    }
    position += length;
    received += length;
    progress.update(position);
    return length;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void reset() throws IOException {
    abandonSeedSpecPass();
    abandonPrefixHasher();
    closePositionalChannel();
    buffer.clear();
    try {
      channel.truncate(0);
      channel.position(0);
      flushed = 0;
    } catch (IOException e) {
      localFailure = e;
      throw e;
    }
    digest.reset();
    position = 0;
    positional = false;
    // The size was that of the bytes just dropped: a pass started from it could wait for bytes that never come.
    expectedSize = -1;
    resetSinceAttempt = true;
    progress.update(0);
  }

  @Override
  public void expectSize(long totalBytes) {
    progress.total(totalBytes);
    expectedSize = totalBytes;
    if (totalBytes >= 0 && seedSpecPass == null && !seedSpecBackends.isEmpty() && open) {
      startSeedSpecPass(totalBytes);
    }
  }

  /** Starts the seed spec pass right behind the bytes known final: flushed ones, or the hashed prefix. */
  private void startSeedSpecPass(long size) {
    SeedSpecPass pass = SeedSpecPass.start(file, size, seedSpecBackends).orElse(null);
    seedSpecPass = pass;
    if (pass != null) {
      PrefixHasher prefix = prefixHasher;
      pass.available(positional ? (prefix == null ? 0 : prefix.hashed()) : flushed);
    }
  }

  private void abandonPrefixHasher() throws InterruptedIOException {
    PrefixHasher prefix = prefixHasher;
    prefixHasher = null;
    if (prefix != null) {
      try {
        prefix.abandon();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while stopping the hash of " + file);
      }
    }
  }

  private void closePositionalChannel() throws IOException {
    FileChannel io = positionalChannel;
    positionalChannel = null;
    if (io != null) {
      io.close();
    }
  }

  /** The prefix hasher reached {@code position}: those bytes are final, the seed spec pass may read them. */
  private void prefixHashed(long position) {
    SeedSpecPass pass = seedSpecPass;
    if (pass != null) {
      pass.available(position);
    }
  }

  private void abandonSeedSpecPass() {
    if (seedSpecPass != null) {
      seedSpecPass.abandon();
      seedSpecPass = null;
    }
  }

  @Override
  public long knownSize() {
    return -1;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** The sha256 of the bytes written so far, leaving the target as it is. */
  String currentHash() {
    try {
      return Sha256.hex(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 digest can be cloned", e);
    }
  }

  /**
   * Writes out what is buffered and returns the sha256 of all bytes written. The target must then be
   * {@link #reset()} or {@link #seal()}ed.
   */
  String finishHash() throws IOException {
    if (positional) {
      return finishPositional();
    }
    flush();
    progress.finish();
    return Sha256.hex(digest.digest());
  }

  /**
   * The backend wrote the whole file by position and every byte is final now: the prefix hasher hashes what
   * it has not reached yet (usually the last pieces) while the seed spec pass catches up on its thread.
   */
  private String finishPositional() throws IOException {
    closePositionalChannel();
    long size = channel.size();
    if (seedSpecPass == null && !seedSpecBackends.isEmpty() && open) {
      startSeedSpecPass(size);
    }
    PrefixHasher prefix = prefixHasher;
    prefixHasher = null;
    positional = false;
    position = size;
    flushed = size;
    channel.position(size);
    progress.finish();
    Optional<String> hashed = Optional.empty();
    if (prefix != null) {
      try {
        hashed = prefix.finish(size);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while hashing " + file);
      }
    }
    SeedSpecPass pass = seedSpecPass;
    if (pass != null) {
      pass.available(size);
    }
    if (hashed.isPresent()) {
      return hashed.get();
    }
    digest.reset();
    Sha256.update(digest, file, size, done -> {});
    return Sha256.hex(digest.digest());
  }

  /**
   * Positional access to this file (BitTorrent writes pieces where they belong). The bytes already here
   * stay for the backend to check; the sha256 and the seed spec pass start over from byte 0 and follow the
   * prefix the backend reports {@linkplain RandomAccessTarget#verified final}, since a kept piece may be
   * rewritten until then.
   */
  @Override
  public Optional<RandomAccessTarget> randomAccess() {
    if (!open) {
      return Optional.empty();
    }
    FileChannel io;
    try {
      flush();
      abandonPrefixHasher();
      closePositionalChannel();
      io = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      return Optional.empty();
    }
    positionalChannel = io;
    abandonSeedSpecPass();
    positional = true;
    PrefixHasher prefix = PrefixHasher.start(channel, this::prefixHashed);
    prefixHasher = prefix;
    if (expectedSize >= 0 && !seedSpecBackends.isEmpty()) {
      startSeedSpecPass(expectedSize);
    }
    return Optional.of(new RandomAccessTarget() {
      @Override
      public int write(ByteBuffer source, long at) throws IOException {
        int written = 0;
        while (source.hasRemaining()) {
          written += io.write(source, at + written);
        }
        positionalBytes.add(written);
        return written;
      }

      @Override
      public int read(ByteBuffer destination, long at) throws IOException {
        return io.read(destination, at);
      }

      @Override
      public long size() throws IOException {
        return io.size();
      }

      @Override
      public void truncate(long size) throws IOException {
        if (io.size() > size) {
          io.truncate(size);
        }
      }

      @Override
      public void verified(long position, long length) {
        prefix.verified(position, length);
      }
    });
  }

  /** Writes out the bytes (forced to disk if {@link Durability#enabled()}) and closes the file, ready to be renamed into the cache. */
  void seal() throws IOException {
    try {
      flush();
      Durability.force(channel);
    } catch (IOException e) {
      localFailure = e;
      throw e;
    }
    open = false;
    channel.close();
  }

  /** Writes out buffered bytes (so an interrupted download keeps them) and closes the file. */
  @Override
  public void close() throws IOException {
    abandonSeedSpecPass();
    abandonPrefixHasher();
    closePositionalChannel();
    if (!open) {
      return;
    }
    open = false;
    try {
      flush();
    } finally {
      progress.finish();
      channel.close();
    }
  }



  /** Closes the file and deletes it. */
  void discard() throws IOException {
    abandonSeedSpecPass();
    abandonPrefixHasher();
    closePositionalChannel();
    open = false;
    channel.close();
    Files.deleteIfExists(file);
  }

  private void flush() throws IOException {
    if (buffer.position() == 0) {
      return;
    }
    buffer.flip();
    try {
      writeFully(buffer);
    } catch (IOException e) {
      // What was written stays a prefix of the download; the rest is dropped, so that close() does not
      // write the buffer's start a second time behind it.
      buffer.clear();
      localFailure = e;
      throw e;
    }
    buffer.clear();
    flushed = channel.position();
    if (seedSpecPass != null) {
      seedSpecPass.available(flushed);
    }
  }

  private void writeFully(ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      channel.write(src);
    }
  }
}
