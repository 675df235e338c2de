package io.github.pierdat.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delaysDoubleWithJitterUpToTheCapAndStartOverAfterReset() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
    long[] bases = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
    for (long base : bases) {
      long d = backoff.next().toMillis();
      assertTrue(d >= base * 0.75 - 1 && d <= Math.min(60000, base * 1.25), "delay " + d + " for base " + base);
    }
    backoff.reset();
    long first = backoff.next().toMillis();
    assertTrue(first >= 750 && first <= 1250, "after reset: " + first);
  }

  @Test
  void jitterSpreadsDelays() {
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      seen.add(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)).next().toMillis());
    }
    assertTrue(seen.size() > 1, "all delays equal: " + seen);
    for (int i = 0; i < 20; i++) {
      Duration capped = new Backoff(Duration.ofSeconds(60), Duration.ofSeconds(60)).next();
      assertTrue(capped.compareTo(Duration.ofSeconds(60)) <= 0, "jitter exceeded the cap: " + capped);
    }
  }
}
