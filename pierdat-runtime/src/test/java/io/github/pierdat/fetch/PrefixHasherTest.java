package io.github.pierdat.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.hash.Sha256;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefixHasherTest {

  private static final int PIECE = 1 << 18;

  @TempDir Path dir;

  private Path fileOf(byte[] bytes) throws Exception {
    return Files.write(dir.resolve("download"), bytes);
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @Test
  void piecesReportedOutOfOrderHashToTheFilesSha256() throws Exception {
    byte[] bytes = random(10 * PIECE + 123);
    Path file = fileOf(bytes);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      PrefixHasher hasher = PrefixHasher.start(channel, done -> {});
      int[] order = {3, 1, 0, 2, 7, 10, 4, 9, 6, 5, 8};
      for (int piece : order) {
        long start = (long) piece * PIECE;
        hasher.verified(start, Math.min(PIECE, bytes.length - start));
      }

      assertEquals(Optional.of(Sha256.hex(Sha256.newDigest().digest(bytes))), hasher.finish(bytes.length));
    }
  }

  @Test
  void onlyTheFinalPrefixIsHashedBeforeFinish() throws Exception {
    byte[] bytes = random(8 * PIECE);
    Path file = fileOf(bytes);
    CopyOnWriteArrayList<Long> reached = new CopyOnWriteArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      PrefixHasher hasher = PrefixHasher.start(channel, reached::add);
      hasher.verified(0, PIECE);
      hasher.verified(2 * PIECE, PIECE); // a gap at piece 1: not part of the prefix yet

      awaitHashed(hasher, PIECE);
      Thread.sleep(100);
      assertEquals(PIECE, hasher.hashed(), "bytes after the first gap wait until the gap is final");

      hasher.verified(PIECE, PIECE);
      awaitHashed(hasher, 3L * PIECE);
      assertEquals(3L * PIECE, reached.get(reached.size() - 1));

      assertEquals(Optional.of(Sha256.hex(Sha256.newDigest().digest(bytes))), hasher.finish(bytes.length));
      assertEquals(8L * PIECE, hasher.hashed());
    }
  }

  @Test
  void aFileShorterThanItsFinalPrefixGivesNoHash() throws Exception {
    Path file = fileOf(random(PIECE));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      PrefixHasher hasher = PrefixHasher.start(channel, done -> {});

      assertEquals(Optional.empty(), hasher.finish(2L * PIECE), "the caller hashes the file itself then");
    }
  }

  @Test
  void anEmptyFileHashesToTheEmptySha256() throws Exception {
    Path file = fileOf(new byte[0]);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      PrefixHasher hasher = PrefixHasher.start(channel, done -> {});

      assertEquals(Optional.of(Sha256.hex(Sha256.newDigest().digest())), hasher.finish(0));
    }
  }

  @Test
  void abandonStopsTheThreadWithoutWaitingForTheRest() throws Exception {
    Path file = fileOf(random(4 * PIECE));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      PrefixHasher hasher = PrefixHasher.start(channel, done -> {});
      hasher.verified(0, PIECE);
      awaitHashed(hasher, PIECE);

      hasher.abandon();

      hasher.verified(PIECE, PIECE);
      Thread.sleep(100);
      assertEquals(PIECE, hasher.hashed());
    }
  }

  private static void awaitHashed(PrefixHasher hasher, long bytes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (hasher.hashed() < bytes && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(hasher.hashed() >= bytes, "hashed " + hasher.hashed() + " of " + bytes);
  }
}
