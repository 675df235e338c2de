package io.github.pierdat.progress;

import io.github.pierdat.backend.FetchLog;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Reports a long transfer or hash as percent, bytes, rate and time left; bytes and rate only while the
 * total is unknown.
 *
 * <p>When {@link FetchLog#interactive()} is false (CI, Maven's log) it writes plain lines: none in the first
 * second (short transfers stay quiet; the caller logs a summary anyway), then one each time another 10% is
 * done (at most one a second) or when 5 seconds have passed without a line. When interactive it redraws one
 * line: each message starts with {@code \r} and has no line break, the last one (from {@link #finish()})
 * ends with {@code \n}; the log prints them without adding its own line breaks.
 *
 * <p>Not thread-safe: one transfer reports from one thread at a time. {@link #update(long)} is cheap enough
 * to call for every buffer.
 */
public final class Progress {

  static final long QUIET_NANOS = Duration.ofSeconds(1).toNanos();
  static final long MIN_STEP_NANOS = Duration.ofSeconds(1).toNanos();
  static final long MAX_SILENCE_NANOS = Duration.ofSeconds(5).toNanos();
  static final long REDRAW_NANOS = Duration.ofMillis(250).toNanos();

  private final String label;
  private final FetchLog log;
  private final LongSupplier nanoClock;
  private final boolean interactive;
  private final long startNanos;
  private long total;
  private long baseline;
  private long done;
  private long lastLineNanos;
  private int lastDecile;
  private boolean drawn;

  private Progress(String label, long total, FetchLog log, LongSupplier nanoClock) {
    this.label = Objects.requireNonNull(label, "label");
    this.log = Objects.requireNonNull(log, "log");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.interactive = log.interactive();
    this.total = total;
    this.startNanos = nanoClock.getAsLong();
    this.lastLineNanos = startNanos;
  }

  /**
   * Starts reporting.
   *
   * @param label what is being done, e.g. {@code model.bin: fetching}
   * @param total the total number of bytes, or -1 if unknown
   * @param log where lines go
   */
  public static Progress start(String label, long total, FetchLog log) {
    return new Progress(label, total, log, System::nanoTime);
  }

  /** Like {@link #start(String, long, FetchLog)} with a clock (in nanoseconds) for tests. */
  public static Progress start(String label, long total, FetchLog log, LongSupplier nanoClock) {
    return new Progress(label, total, log, nanoClock);
  }

  /** Sets the total once it is known (e.g. from a Content-Length); -1 if unknown. */
  public void total(long bytes) {
    this.total = bytes;
  }

  /**
   * Sets the bytes that were already there before this transfer (a resumed download): they count towards
   * the percentage but not towards the rate.
   */
  public void baseline(long bytes) {
    this.baseline = bytes;
    this.done = bytes;
    this.lastDecile = decile(bytes);
  }

  /** Sets the bytes done so far and prints a line if one is due. */
  public void update(long bytesDone) {
    if (bytesDone < baseline) {
      // The transfer restarted from scratch (e.g. a server ignored a range request).
      baseline = 0;
      lastDecile = 0;
    }
    this.done = bytesDone;
    long now = nanoClock.getAsLong();
    if (due(now)) {
      emit(now, false);
    }
  }

  /** Ends reporting; in interactive mode, finishes the redrawn line. */
  public void finish() {
    if (interactive && drawn) {
      emit(nanoClock.getAsLong(), true);
    }
  }

  /** The current status, e.g. {@code model.bin: fetching 45% (460 MiB of 1.00 GiB), 112 MiB/s, 5.0 s left}. */
  public String line() {
    return format(nanoClock.getAsLong());
  }

  private boolean due(long now) {
    long sinceStart = now - startNanos;
    long sinceLine = now - lastLineNanos;
    if (interactive) {
      return sinceStart >= REDRAW_NANOS && (sinceLine >= REDRAW_NANOS || !drawn);
    }
    if (sinceStart < QUIET_NANOS) {
      return false;
    }
    if (sinceLine >= MAX_SILENCE_NANOS) {
      return true;
    }
    return total > 0 && decile(done) > lastDecile && sinceLine >= MIN_STEP_NANOS;
  }

  private void emit(long now, boolean last) {
    lastLineNanos = now;
    lastDecile = decile(done);
    String text = format(now);
    if (interactive) {
      drawn = true;
      log.info("\r" + text + (last ? "\n" : ""));
    } else {
      log.info(text);
    }
  }

  private int decile(long bytes) {
    return total > 0 ? (int) Math.min(10, bytes * 10 / total) : 0;
  }

  private String format(long now) {
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = (done - baseline) / seconds;
    StringBuilder line = new StringBuilder(label).append(' ');
    if (total > 0) {
      long percent = Math.min(100, done * 100 / total);
      line.append(percent).append("% (").append(Units.bytes(done)).append(" of ")
          .append(Units.bytes(total)).append("), ").append(Units.rate(rate));
      if (rate > 0 && done < total) {
        long left = (long) Math.ceil((total - done) / rate);
        line.append(", ").append(Units.duration(Duration.ofSeconds(left))).append(" left");
      }
    } else {
      line.append(Units.bytes(done)).append(", ").append(Units.rate(rate));
    }
    return line.toString();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Progress[%s, %d of %d]", label, done, total);
  }
}
