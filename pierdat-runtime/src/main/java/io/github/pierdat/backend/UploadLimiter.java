package io.github.pierdat.backend;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket shared by every seeder of an agent, so the upload limit ({@code PIERDAT_UPLOAD_LIMIT})
 * holds for the whole container, whichever backend sends the bytes. Thread-safe; fair in arrival order.
 * A sender asks for the bytes it wants to send and is granted at most one slice at a time, so many
 * concurrent transfers share the rate.
 */
public final class UploadLimiter {

  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private final long bytesPerSecond;
  private final long slice;
  private final long burstNanos;
  /** When the bytes granted so far are paid for; grants wait until then. */
  private long paidUntil;

  private UploadLimiter(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    // Slices of ~1/20 s keep concurrent transfers interleaved without too many wake-ups.
    this.slice = Math.max(1024, Math.min(bytesPerSecond / 20, 1 << 20));
    this.burstNanos = NANOS_PER_SECOND / 10;
    this.paidUntil = System.nanoTime();
  }

  /** A limiter of {@code bytesPerSecond}, or an unlimited one for 0. */
  public static UploadLimiter of(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("upload limit must be >= 0 bytes/s, was " + bytesPerSecond);
    }
    return new UploadLimiter(bytesPerSecond);
  }

  /** A limiter that never waits. */
  public static UploadLimiter unlimited() {
    return new UploadLimiter(0);
  }

  /** True when this limiter never waits. */
  public boolean isUnlimited() {
    return bytesPerSecond == 0;
  }

  /** The limit in bytes per second, 0 for none. */
  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /**
   * Waits until some of {@code wanted} bytes may be sent and returns how many (at least 1, at most
   * {@code wanted}); without a limit returns {@code wanted} at once. The caller must send no more.
   */
  public long acquire(long wanted) throws InterruptedException {
    if (wanted <= 0) {
      throw new IllegalArgumentException("wanted must be positive, was " + wanted);
    }
    if (bytesPerSecond == 0) {
      return wanted;
    }
    long granted = Math.min(wanted, slice);
    long waitNanos;
    synchronized (this) {
      long now = System.nanoTime();
      // An idle limiter allows a short burst, not the whole idle time's worth of bytes.
      if (paidUntil - (now - burstNanos) < 0) {
        paidUntil = now - burstNanos;
      }
      paidUntil += granted * NANOS_PER_SECOND / bytesPerSecond;
      waitNanos = paidUntil - now;
    }
    if (waitNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(waitNanos);
    }
    return granted;
  }
}
