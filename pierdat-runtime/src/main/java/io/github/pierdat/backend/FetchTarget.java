package io.github.pierdat.backend;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;

/**
 * Where a backend writes the bytes it fetches. Bytes are hashed as they are written; the fetcher checks
 * them against the artifact's sha256 when the backend returns.
 */
public interface FetchTarget extends WritableByteChannel {

  /** Bytes already present from an interrupted attempt; a backend that can resume continues here. */
  long position();

  /** Discards the bytes present, for a source that cannot resume (e.g. a server that ignored Range). */
  void reset() throws IOException;

  /** Tells progress reporting the total size, once known; -1 if unknown. */
  void expectSize(long totalBytes);

  /** The expected size if the caller knows it (e.g. from a previous build), else -1. */
  long knownSize();

  /**
   * Where this target stops taking bytes: a backend that can fetch a byte range asks only for the bytes
   * from {@link #position()} up to this offset (exclusive), and fails if the source cannot give just those;
   * -1 (the default) for "to the end of the artifact". Used to fill gaps in a file with range requests.
   */
  default long limit() {
    return -1;
  }

  /**
   * The absolute path the artifact will have in the image (or on the machine), if the caller knows it.
   * A backend that hands the download to an external program names its scratch file like it.
   */
  default Optional<String> imagePath() {
    return Optional.empty();
  }

  /**
   * Positional access to the target's file, for backends that receive bytes out of order; empty when this
   * target only takes bytes in order (such a backend then stages the bytes elsewhere and writes them in
   * order). A backend uses either {@link #write} or this in one attempt, never both. When a backend that
   * used it returns normally, the file holds exactly the artifact's bytes and the target hashes it whole;
   * bytes already present ({@link #position()}) may be kept and verified by the backend (BitTorrent checks
   * every piece). A backend that fails after writing through it calls {@link #reset()} first, so the bytes
   * left for the next source are always a prefix of the artifact.
   */
  default Optional<RandomAccessTarget> randomAccess() {
    return Optional.empty();
  }

  /**
   * The {@link SeedSpecHasher} this target is running, on another thread, for the backend named
   * {@code backend} over the bytes written to it, if any. A fetching backend that already knows something
   * verified about the bytes (e.g. IPFS leaves checked against their CIDs) may hand it over through that
   * hasher's own thread-safe methods; it must never call {@link SeedSpecHasher#update} or
   * {@link SeedSpecHasher#finish}.
   */
  default Optional<SeedSpecHasher> seedSpecHasher(String backend) {
    return Optional.empty();
  }
}
