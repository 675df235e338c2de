package io.github.pierdat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.PierdatVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsCommandsAndEveryVariable() {
    assertEquals(0, run("--help"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("status") && text.contains("run"), text);
    for (String variable : io.github.pierdat.agent.settings.EnvOverrides.VARIABLES.keySet()) {
      assertTrue(text.contains(variable), variable);
    }
  }

  @Test
  void versionPrintsTheBuildVersion() {
    assertEquals(0, run("--version"));
    assertEquals("pierdat " + PierdatVersion.get(), out.toString(StandardCharsets.UTF_8).trim());
  }

  @Test
  void unknownOptionsAndCommandsAreUsageErrors() {
    assertEquals(2, run("--bogus"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --bogus"));
    assertEquals(2, run("run", "--verbose", "--", "x"));
    assertEquals(2, run("frobnicate"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("run -- frobnicate"));
    assertEquals(2, run("status", "--nope"));
  }
}
