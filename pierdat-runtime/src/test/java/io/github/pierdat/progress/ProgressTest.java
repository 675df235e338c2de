package io.github.pierdat.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.testing.RecordingLog;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private static final long MIB = 1 << 20;
  private static final long MS = 1_000_000;

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private void at(long millis) {
    now.set(1_000_000_000L + millis * MS);
  }

  @Test
  void formatsPercentBytesRateAndTimeLeft() {
    Progress progress = Progress.start("model.bin: fetching", 1024 * MIB, new RecordingLog(), now::get);
    at(4000);
    progress.update(512 * MIB);
    assertEquals("model.bin: fetching 50% (512 MiB of 1.00 GiB), 128 MiB/s, 4.0 s left", progress.line());
  }

  @Test
  void unknownTotalShowsBytesAndRateOnly() {
    Progress progress = Progress.start("x", -1, new RecordingLog(), now::get);
    at(2000);
    progress.update(300 * MIB);
    assertEquals("x 300 MiB, 150 MiB/s", progress.line());
  }

  @Test
  void bytesPresentBeforeTheTransferCountTowardsPercentNotRate() {
    Progress progress = Progress.start("x", 400 * MIB, new RecordingLog(), now::get);
    progress.baseline(100 * MIB);
    at(2000);
    progress.update(300 * MIB);
    assertEquals("x 75% (300 MiB of 400 MiB), 100 MiB/s, 1.0 s left", progress.line());
  }

  @Test
  void staysQuietDuringTheFirstSecond() {
    RecordingLog log = new RecordingLog();
    Progress progress = Progress.start("x", 100 * MIB, log, now::get);
    at(500);
    progress.update(90 * MIB);
    at(999);
    progress.update(99 * MIB);
    progress.finish();
    assertEquals(0, log.lines().size(), log.text());
  }

  @Test
  void nonInteractiveWritesPlainLineEachTenPercentAtMostOncePerSecond() {
    RecordingLog log = new RecordingLog();
    Progress progress = Progress.start("x", 100 * MIB, log, now::get);
    at(1000);
    progress.update(30 * MIB); // line: a new tenth, 1 s since start
    at(1500);
    progress.update(35 * MIB); // same tenth
    at(1800);
    progress.update(45 * MIB); // new tenth, but only 0.8 s since the last line
    at(2100);
    progress.update(46 * MIB); // line
    assertEquals(2, log.lines().size(), log.text());
    assertTrue(log.lines().get(0).startsWith("INFO x 30% (30.0 MiB of 100 MiB)"), log.text());
    assertTrue(log.lines().get(1).startsWith("INFO x 46% (46.0 MiB of 100 MiB)"), log.text());
    for (String line : log.lines()) {
      assertFalse(line.contains("\r") || line.contains("\n") || line.contains("\u001b"), line);
    }
  }

  @Test
  void nonInteractiveWritesALineAfterFiveSilentSeconds() {
    RecordingLog log = new RecordingLog();
    Progress progress = Progress.start("x", -1, log, now::get);
    at(1000);
    progress.update(MIB); // unknown total: no tenths, so only the 5 s rule applies
    at(4999);
    progress.update(2 * MIB);
    assertEquals(0, log.lines().size(), log.text());
    at(5000);
    progress.update(3 * MIB);
    at(9000);
    progress.update(4 * MIB);
    at(10_000);
    progress.update(5 * MIB);
    assertEquals(2, log.lines().size(), log.text());
    assertEquals("INFO x 3.00 MiB, 614 KiB/s", log.lines().get(0));
  }

  @Test
  void interactiveRedrawsOneLineWithCarriageReturnsAndEndsItOnFinish() {
    RecordingLog log = new RecordingLog(true);
    Progress progress = Progress.start("x", 100 * MIB, log, now::get);
    at(100);
    progress.update(MIB); // too early to draw
    at(300);
    progress.update(10 * MIB);
    at(400);
    progress.update(11 * MIB); // less than 250 ms since the last redraw
    at(600);
    progress.update(20 * MIB);
    progress.finish();
    assertEquals(3, log.lines().size(), log.text());
    for (String line : log.lines()) {
      assertTrue(line.startsWith("INFO \r"), line);
      assertFalse(line.contains("\u001b"), line);
    }
    assertFalse(log.lines().get(0).contains("\n"));
    assertTrue(log.lines().get(2).endsWith("\n"));
  }

  @Test
  void finishWithoutAnyLineDrawnWritesNothing() {
    RecordingLog log = new RecordingLog(true);
    Progress.start("x", 100, log, now::get).finish();
    assertEquals(0, log.lines().size());
  }
}
