package io.github.pierdat.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

  @Test
  void formatsBytesInBinaryUnitsWithThreeSignificantDigits() {
    assertEquals("0 B", Units.bytes(0));
    assertEquals("1023 B", Units.bytes(1023));
    assertEquals("1.00 KiB", Units.bytes(1024));
    assertEquals("1.50 MiB", Units.bytes(3 * 512 * 1024));
    assertEquals("12.5 MiB", Units.bytes(25 * 512 * 1024));
    assertEquals("512 MiB", Units.bytes(512L << 20));
    assertEquals("1.00 GiB", Units.bytes(1L << 30));
    assertEquals("2.00 TiB", Units.bytes(2L << 40));
  }

  @Test
  void formatsRates() {
    assertEquals("128 MiB/s", Units.rate(128.0 * (1 << 20)));
    assertEquals("64.0 MiB/s", Units.rate(128L << 20, Duration.ofSeconds(2)));
    assertEquals("0 B/s", Units.rate(0));
  }

  @Test
  void formatsDurations() {
    assertEquals("850 ms", Units.duration(Duration.ofMillis(850)));
    assertEquals("4.2 s", Units.duration(Duration.ofMillis(4200)));
    assertEquals("2m05s", Units.duration(Duration.ofSeconds(125)));
    assertEquals("1h02m", Units.duration(Duration.ofMinutes(62)));
  }
}
