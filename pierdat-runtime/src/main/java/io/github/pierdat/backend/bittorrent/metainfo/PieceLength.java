package io.github.pierdat.backend.bittorrent.metainfo;

/**
 * The piece length pierdat uses for a file of a given size, so that the same bytes always make the same
 * torrent (and infohash) on any machine.
 *
 * <p>The rule: the smallest power of two that splits the file into at most {@value #TARGET_PIECES} pieces,
 * clamped to {@link #MIN} (256 KiB) .. {@link #MAX} (16 MiB). So files up to 512 MiB get 256 KiB pieces,
 * larger ones get between 1025 and 2048 pieces (1 GiB: 512 KiB, 4 GiB: 2 MiB), and beyond 32 GiB the
 * pieces stay at 16 MiB and their number grows. {@code mktorrent -l log2(pieceLength)} makes the same
 * info dictionary.
 */
public final class PieceLength {

  /** The smallest piece length: 256 KiB (2^18). */
  public static final long MIN = 1L << 18;
  /** The largest piece length: 16 MiB (2^24). */
  public static final long MAX = 1L << 24;
  /** Aim for at most this many pieces. */
  public static final long TARGET_PIECES = 2048;

  private PieceLength() {}

  /** The piece length for a file of {@code size} bytes. */
  public static long forSize(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, was " + size);
    }
    long length = MIN;
    while (length < MAX && (size + length - 1) / length > TARGET_PIECES) {
      length <<= 1;
    }
    return length;
  }

  /** log2 of {@link #forSize(long)}, the form {@code mktorrent -l} takes. */
  public static int log2ForSize(long size) {
    return Long.numberOfTrailingZeros(forSize(size));
  }
}
