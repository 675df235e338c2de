package io.github.pierdat.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.backend.RandomAccessTarget;
import io.github.pierdat.hash.Sha256;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashingFileTargetTest {

  @TempDir Path dir;

  @Test
  void aBackendThreadInterruptedInsideAReadDoesNotCloseTheFileTheTargetHashes() throws Exception {
    byte[] bytes = new byte[3 << 20];
    new Random(3).nextBytes(bytes);
    Path file = dir.resolve("download.part");
    try (HashingFileTarget target = HashingFileTarget.open(file, "m.bin", FetchLog.silent())) {
      RandomAccessTarget pieces = target.randomAccess().orElseThrow();
      int half = bytes.length / 2;
      pieces.write(ByteBuffer.wrap(bytes, half, bytes.length - half), half);
      pieces.write(ByteBuffer.wrap(bytes, 0, half), 0);
      pieces.verified(0, bytes.length);

      // bt-core's shutdown interrupts a disk worker that is reading a block for an upload.
      CompletableFuture<Throwable> interrupted = CompletableFuture.supplyAsync(() -> {
        Thread.currentThread().interrupt();
        try {
          pieces.read(ByteBuffer.allocate(16_384), 0);
          return null;
        } catch (Exception e) {
          return e;
        }
      });
      assertTrue(interrupted.get(10, TimeUnit.SECONDS) instanceof ClosedByInterruptException);

      assertEquals(Sha256.hex(Sha256.newDigest().digest(bytes)), target.finishHash());
      target.seal();
    }
    assertEquals(bytes.length, Files.size(file));
  }

  @Test
  void afterTheDownloadReturnsItsPositionalChannelIsClosed() throws Exception {
    Path file = dir.resolve("download.part");
    try (HashingFileTarget target = HashingFileTarget.open(file, "m.bin", FetchLog.silent())) {
      RandomAccessTarget pieces = target.randomAccess().orElseThrow();
      pieces.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);

      target.finishHash();

      assertThrows(java.nio.channels.ClosedChannelException.class,
          () -> pieces.write(ByteBuffer.wrap(new byte[] {9}), 0));
      target.seal();
    }
    assertEquals(3, Files.size(file));
  }
}
