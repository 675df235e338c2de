package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.RandomAccessTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FencedTargetTest {

  /** A file in memory whose writes can be held half-way, like a bt disk worker still writing. */
  private static final class HeldTarget implements RandomAccessTarget {
    final byte[] bytes = new byte[16];
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hold;
    final java.util.List<long[]> verifiedRanges = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
      if (hold) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      int n = source.remaining();
      source.get(bytes, (int) position, n);
      return n;
    }

    @Override
    public int read(ByteBuffer destination, long position) {
      int n = Math.min(destination.remaining(), bytes.length - (int) position);
      destination.put(bytes, (int) position, n);
      return n;
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public void truncate(long size) {}

    @Override
    public void verified(long position, long length) {
      verifiedRanges.add(new long[] {position, length});
    }
  }

  @Test
  void writesAndReadsPassThroughUntilClosed() throws IOException {
    HeldTarget file = new HeldTarget();
    FencedTarget fenced = new FencedTarget(file);

    assertEquals(3, fenced.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 4));
    ByteBuffer back = ByteBuffer.allocate(3);
    fenced.read(back, 4);

    assertArrayEquals(new byte[] {1, 2, 3}, back.array());
  }

  @Test
  void aWriteAfterCloseIsDroppedAndAReadFails() throws IOException {
    HeldTarget file = new HeldTarget();
    FencedTarget fenced = new FencedTarget(file);
    fenced.close();

    ByteBuffer late = ByteBuffer.wrap(new byte[] {9, 9});
    assertEquals(2, fenced.write(late, 0));

    assertFalse(late.hasRemaining(), "the late block counts as consumed, so bt does not retry it");
    assertArrayEquals(new byte[16], file.bytes);
    assertThrows(IOException.class, () -> fenced.read(ByteBuffer.allocate(1), 0));
  }

  @Test
  void closeWaitsForAWriteInFlight() throws Exception {
    HeldTarget file = new HeldTarget();
    file.hold = true;
    FencedTarget fenced = new FencedTarget(file);
    CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
      try {
        return fenced.write(ByteBuffer.wrap(new byte[] {7}), 0);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertTrue(file.entered.await(10, TimeUnit.SECONDS));

    CompletableFuture<Void> closing = CompletableFuture.runAsync(fenced::close);
    Thread.sleep(200);
    assertFalse(closing.isDone(), "close must wait for the write in flight");

    file.release.countDown();
    closing.get(10, TimeUnit.SECONDS);
    assertEquals(1, writer.get(10, TimeUnit.SECONDS));
    assertEquals(7, file.bytes[0]);
    assertTrue(Arrays.equals(new byte[15], Arrays.copyOfRange(file.bytes, 1, 16)));
  }

  @Test
  void aWriteIntoAVerifiedRangeIsDroppedAndOthersStillLand() throws IOException {
    HeldTarget file = new HeldTarget();
    FencedTarget fenced = new FencedTarget(file);
    fenced.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 4);
    fenced.verified(4, 4);

    ByteBuffer duplicate = ByteBuffer.wrap(new byte[] {6, 6});
    assertEquals(2, fenced.write(duplicate, 5));
    assertEquals(1, fenced.write(ByteBuffer.wrap(new byte[] {6}), 7), "the range's last byte is covered too");
    assertEquals(2, fenced.write(ByteBuffer.wrap(new byte[] {5, 5}), 8));
    assertEquals(2, fenced.write(ByteBuffer.wrap(new byte[] {5, 5}), 2));

    assertFalse(duplicate.hasRemaining(), "a dropped block counts as consumed, so bt does not retry it");
    assertArrayEquals(new byte[] {0, 0, 5, 5, 1, 2, 3, 4, 5, 5, 0, 0, 0, 0, 0, 0}, file.bytes);
    assertEquals(1, file.verifiedRanges.size());
    assertArrayEquals(new long[] {4, 4}, file.verifiedRanges.get(0));
  }

  @Test
  void adjacentVerifiedRangesMergeAndAWriteOverlappingEitherIsDropped() throws IOException {
    HeldTarget file = new HeldTarget();
    FencedTarget fenced = new FencedTarget(file);
    fenced.verified(8, 4);
    fenced.verified(0, 4);
    fenced.verified(4, 4);

    fenced.write(ByteBuffer.wrap(new byte[] {9, 9}), 3);
    fenced.write(ByteBuffer.wrap(new byte[] {9, 9}), 11);
    fenced.write(ByteBuffer.wrap(new byte[] {7, 7}), 12);

    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 7, 0, 0}, file.bytes);
    assertEquals(3, file.verifiedRanges.size());
  }

  @Test
  void verifiedWaitsForAWriteInFlightIntoThatRange() throws Exception {
    HeldTarget file = new HeldTarget();
    file.hold = true;
    FencedTarget fenced = new FencedTarget(file);
    CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
      try {
        return fenced.write(ByteBuffer.wrap(new byte[] {7}), 2);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertTrue(file.entered.await(10, TimeUnit.SECONDS));

    CompletableFuture<Void> verifying = CompletableFuture.runAsync(() -> fenced.verified(0, 4));
    Thread.sleep(200);
    assertFalse(verifying.isDone(), "the range is handed on only after the write in flight ends");
    assertTrue(file.verifiedRanges.isEmpty());

    file.release.countDown();
    verifying.get(10, TimeUnit.SECONDS);
    writer.get(10, TimeUnit.SECONDS);
    assertEquals(1, file.verifiedRanges.size());
  }
}
