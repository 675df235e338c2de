package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.bittorrent.metainfo.PieceHasher;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TorrentSeedHasherTest {

  private static final long PIECE = 1 << 18;
  private final byte[] bytes = random(3 * (int) PIECE + 1234);
  private final ArtifactEntry artifact = new ArtifactEntry("m.bin", "/data/m.bin", bytes.length, "00".repeat(32),
      List.of(), List.of());
  private final AtomicReference<byte[]> madeFrom = new AtomicReference<>();

  private TorrentSeedHasher hasher() {
    return new TorrentSeedHasher(PIECE, bytes.length, (entry, file, hashes) -> {
      madeFrom.set(hashes);
      return Optional.of(new SeedEntry("bittorrent", Map.of()));
    });
  }

  @Test
  void withoutAHandOverThePiecesAreHashedFromTheBytes() throws Exception {
    TorrentSeedHasher hasher = hasher();
    hasher.update(bytes, 0, bytes.length);

    assertTrue(hasher.finish(artifact, Path.of("unused")).isPresent());
    assertArrayEquals(pieceHashes(PIECE), madeFrom.get());
  }

  @Test
  void handedOverPiecesOfTheSameLengthAreTakenInsteadOfHashing() throws Exception {
    TorrentSeedHasher hasher = hasher();
    hasher.knownPieces(PIECE, split(pieceHashes(PIECE)), bytes.length);
    // Other bytes than the pieces describe: only the hand-over can give the right hashes now.
    hasher.update(new byte[bytes.length], 0, bytes.length);

    assertTrue(hasher.tookPieces());
    assertTrue(hasher.finish(artifact, Path.of("unused")).isPresent());
    assertArrayEquals(pieceHashes(PIECE), madeFrom.get());
  }

  @Test
  void piecesOfAnotherLengthOrCountAreIgnored() throws Exception {
    TorrentSeedHasher hasher = hasher();
    hasher.knownPieces(2 * PIECE, split(pieceHashes(2 * PIECE)), bytes.length);
    hasher.knownPieces(PIECE, split(pieceHashes(PIECE)).subList(0, 2), bytes.length);
    hasher.update(bytes, 0, bytes.length);

    assertFalse(hasher.tookPieces());
    hasher.finish(artifact, Path.of("unused"));
    assertArrayEquals(pieceHashes(PIECE), madeFrom.get());
  }

  @Test
  void aRevokedHandOverGivesNoSpecSoItIsMadeFromTheFile() throws Exception {
    TorrentSeedHasher hasher = hasher();
    hasher.knownPieces(PIECE, split(pieceHashes(PIECE)), bytes.length);
    hasher.update(bytes, 0, bytes.length / 2);
    hasher.revoke();
    hasher.knownPieces(PIECE, split(pieceHashes(PIECE)), bytes.length);
    hasher.update(bytes, bytes.length / 2, bytes.length - bytes.length / 2);

    assertFalse(hasher.tookPieces());
    assertEquals(Optional.empty(), hasher.finish(artifact, Path.of("unused")));
  }

  private byte[] pieceHashes(long pieceLength) {
    PieceHasher pieces = new PieceHasher(pieceLength);
    pieces.update(ByteBuffer.wrap(bytes));
    return pieces.finish();
  }

  private static List<byte[]> split(byte[] hashes) {
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < hashes.length; i += 20) {
      list.add(java.util.Arrays.copyOfRange(hashes, i, i + 20));
    }
    return list;
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(5).nextBytes(b);
    return b;
  }
}
