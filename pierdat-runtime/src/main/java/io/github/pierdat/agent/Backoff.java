package io.github.pierdat.agent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th delay is {@code initial * 2^(n-1)}, capped at {@code max}, then
 * scaled by a random factor in [0.75, 1.25) (never above {@code max}) so that many containers that fail
 * together do not retry in lockstep.
 */
final class Backoff {

  private final Duration initial;
  private final Duration max;
  private int failures;

  Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
    }
    this.initial = initial;
    this.max = max;
  }

  /** The default for seeders: 1 s, doubling up to 60 s. */
  static Backoff forSeeders() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
  }

  /** The delay before the next attempt; each call counts one more failure. */
  Duration next() {
    int shift = Math.min(failures++, 30);
    long base = Math.min(max.toMillis(), initial.toMillis() << shift);
    double factor = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return Duration.ofMillis(Math.min(max.toMillis(), Math.round(base * factor)));
  }

  /** Starts over after a long enough healthy run. */
  void reset() {
    failures = 0;
  }
}
