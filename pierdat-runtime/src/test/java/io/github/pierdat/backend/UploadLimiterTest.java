package io.github.pierdat.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UploadLimiterTest {

  @Test
  void concurrentSendersShareTheRate() throws Exception {
    UploadLimiter limiter = UploadLimiter.of(400 * 1024);
    AtomicLong granted = new AtomicLong();
    List<Thread> senders = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        long left = 150 * 1024;
        try {
          while (left > 0) {
            long g = limiter.acquire(left);
            left -= g;
            granted.addAndGet(g);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.start();
      senders.add(t);
    }
    for (Thread t : senders) {
      t.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    assertEquals(600 * 1024, granted.get());
    // 600 KiB at 400 KiB/s: 1.5 s, minus the 0.1 s burst.
    assertTrue(seconds >= 1.35, "took only " + seconds + " s");
  }

  @Test
  void unlimitedNeverWaitsAndNegativeLimitsAreRefused() throws Exception {
    UploadLimiter limiter = UploadLimiter.unlimited();
    assertTrue(limiter.isUnlimited());
    assertEquals(Long.MAX_VALUE, limiter.acquire(Long.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> UploadLimiter.of(-1));
  }
}
