package io.github.pierdat.progress;

import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, rates and durations for logs (binary units: KiB, MiB, GiB, TiB). */
public final class Units {

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  private Units() {}

  /** E.g. {@code 512 B}, {@code 12.5 MiB}, {@code 1.00 GiB}. */
  public static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    // Three significant digits are enough to follow a transfer without flicker.
    String pattern = value >= 100 ? "%.0f %s" : value >= 10 ? "%.1f %s" : "%.2f %s";
    return String.format(Locale.ROOT, pattern, value, UNITS[unit]);
  }

  /** E.g. {@code 112 MiB/s}; {@code bytesPerSecond} may be fractional. */
  public static String rate(double bytesPerSecond) {
    if (!(bytesPerSecond > 0) || Double.isInfinite(bytesPerSecond)) {
      return "0 B/s";
    }
    return bytes(Math.round(bytesPerSecond)) + "/s";
  }

  /** The rate of {@code bytes} moved in {@code elapsed}. */
  public static String rate(long bytes, Duration elapsed) {
    long nanos = Math.max(1, elapsed.toNanos());
    return rate(bytes * 1e9 / nanos);
  }

  /** E.g. {@code 850 ms}, {@code 4.2 s}, {@code 2m05s}, {@code 1h02m}. */
  public static String duration(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }
}
