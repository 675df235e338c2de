package io.github.pierdat.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TestFaultsTest {

  @Test
  void parsesOnlyTheDocumentedCrashAfterForm() {
    assertEquals(java.time.Duration.ofMillis(700), TestFaults.parse("http-crash-after:700ms").crashAfter("http").orElseThrow());
    assertEquals(java.time.Duration.ofSeconds(2), TestFaults.parse("bittorrent-crash-after:2s").crashAfter("bittorrent").orElseThrow());
    assertTrue(TestFaults.parse(null).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> TestFaults.parse("http-crash-after:soon"));
    assertThrows(IllegalArgumentException.class, () -> TestFaults.parse("crash"));
  }
}
