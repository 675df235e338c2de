package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.SeedSpecHasher;
import io.github.pierdat.backend.bittorrent.metainfo.PieceHasher;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The artifact's torrent seed spec, built from its bytes as they are fetched (fed by the fetcher's seed-spec
 * thread). When the artifact comes from a single-file torrent with the piece length pierdat would choose (a
 * torrent pierdat made: the pier-to-pier case), the fetching backend hands over that torrent's piece hashes
 * ({@link #handOver}) and the SHA-1 pass stops: every piece was checked against them on arrival, and the file
 * against its sha256 before any seed spec is used, so they are the hashes of these bytes.
 */
final class TorrentSeedHasher implements SeedSpecHasher {

  /** Makes the seed spec from the artifact's piece hashes (20 bytes each, in order). */
  @FunctionalInterface
  interface Finisher {
    Optional<SeedEntry> finish(ArtifactEntry artifact, Path file, byte[] pieceHashes) throws IOException;
  }

  private final long pieceLength;
  private final long size;
  private final PieceHasher pieces;
  private final Finisher finisher;
  private volatile byte[] known;
  /** The hand-over was taken back: its pieces were skipped, so this hasher gives no spec. */
  private volatile boolean revoked;
  private long added;

  TorrentSeedHasher(long pieceLength, long size, Finisher finisher) {
    this.pieceLength = pieceLength;
    this.size = size;
    this.pieces = new PieceHasher(pieceLength);
    this.finisher = finisher;
  }

  /**
   * Hands the pieces of the torrent being downloaded to the torrent seed-spec hasher {@code target} runs, if
   * any; it takes them when they describe a file of its size in pieces of its length.
   *
   * @return whether they were taken
   */
  static boolean handOver(FetchTarget target, WebSeedFill.Pieces torrent) {
    Optional<SeedSpecHasher> hasher = target.seedSpecHasher(BitTorrentBackend.NAME);
    if (hasher.isPresent() && hasher.get() instanceof TorrentSeedHasher own) {
      own.knownPieces(torrent.pieceLength(), torrent.hashes(), torrent.size());
      return own.tookPieces();
    }
    return false;
  }

  /**
   * Takes back what {@link #handOver} gave: the download from that torrent failed, so nothing proved its
   * pieces describe the bytes another source delivers. The spec is then made from the file.
   */
  static void revoke(FetchTarget target) {
    Optional<SeedSpecHasher> hasher = target.seedSpecHasher(BitTorrentBackend.NAME);
    if (hasher.isPresent() && hasher.get() instanceof TorrentSeedHasher own) {
      own.revoke();
    }
  }

  /** See {@link #revoke(FetchTarget)}; nothing changes when no pieces were taken. */
  void revoke() {
    if (known != null) {
      revoked = true;
      known = null;
    }
  }

  /** Takes these piece hashes instead of hashing, when they are the ones this hasher would compute. */
  void knownPieces(long torrentPieceLength, List<byte[]> hashes, long torrentSize) {
    if (revoked) {
      return;
    }
    long count = size == 0 ? 0 : (size + pieceLength - 1) / pieceLength;
    if (torrentPieceLength != pieceLength || torrentSize != size || hashes.size() != count) {
      return;
    }
    byte[] all = new byte[hashes.size() * 20];
    for (int i = 0; i < hashes.size(); i++) {
      if (hashes.get(i).length != 20) {
        return;
      }
      System.arraycopy(hashes.get(i), 0, all, i * 20, 20);
    }
    known = all;
  }

  /** Whether the piece hashes were handed over (the bytes are then not hashed with SHA-1). */
  boolean tookPieces() {
    return known != null;
  }

  @Override
  public void update(byte[] bytes, int offset, int length) {
    added += length;
    if (known == null) {
      pieces.update(ByteBuffer.wrap(bytes, offset, length));
    }
  }

  @Override
  public Optional<SeedEntry> finish(ArtifactEntry artifact, Path file) throws IOException {
    if (revoked || added != artifact.size() || artifact.size() != size) {
      return Optional.empty();
    }
    byte[] hashes = known;
    if (hashes == null) {
      if (pieces.size() != size) {
        return Optional.empty();
      }
      hashes = pieces.finish();
    }
    return finisher.finish(artifact, file, hashes);
  }
}
