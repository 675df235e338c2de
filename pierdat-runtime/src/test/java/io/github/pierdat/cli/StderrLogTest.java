package io.github.pierdat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StderrLogTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  @Test
  void inATerminalProgressRedrawsOneLineAndOtherMessagesStartBelowIt() {
    StderrLog log = new StderrLog(err, true, false);
    log.info("\rmodel.bin: fetching 10%");
    log.info("\rmodel.bin: fetching 20%");
    log.warn("[pierdat] source failed");
    log.info("\rmodel.bin: fetching 30%");
    log.info("\rmodel.bin: fetching 100%\n");
    log.info("[pierdat] done");

    assertEquals("\rmodel.bin: fetching 10%\rmodel.bin: fetching 20%\n[pierdat] source failed\n"
        + "\rmodel.bin: fetching 30%\rmodel.bin: fetching 100%\n[pierdat] done\n", text());
  }

  @Test
  void elsewhereEveryMessageIsOnePlainLineAndDebugOnlyWhenVerbose() {
    new StderrLog(err, false, false).debug("hidden");
    StderrLog log = new StderrLog(err, false, true);
    log.info("model.bin: fetching 10%");
    log.debug("details");

    assertEquals("model.bin: fetching 10%\ndetails\n", text());
  }
}
