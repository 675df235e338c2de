package io.github.pierdat.backend.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.SeederHealth;
import io.github.pierdat.testing.AgentRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed side of script backends with real processes. */
class ScriptSeederTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void healthFollowsTheProcessAndNamesItsExitCodeAndOutput() throws Exception {
    ScriptSeeder seeder = new ScriptSeeder("script:test", List.of(new ScriptSeeder.Command("model.bin",
        List.of("/bin/sh", "-c", "echo seeding now; exec sleep 600"))), Duration.ofSeconds(2));
    seeder.start();
    try {
      assertEquals(SeederHealth.State.RUNNING, seeder.health().state());
      long pid = seeder.pids().get(0);
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      AgentRun.await("the seeder to notice", WAIT, () -> seeder.health().state() == SeederHealth.State.FAILED);
      String detail = seeder.health().detail();
      assertTrue(detail.contains("'/bin/sh -c echo seeding now; exec sleep 600' (artifact model.bin) exited with code 137"),
          detail);
      assertTrue(detail.contains("seeding now"), detail);
    } finally {
      seeder.stop(Duration.ofSeconds(1));
    }
    assertEquals(SeederHealth.State.STOPPED, seeder.health().state());
  }

  @Test
  void stopTerminatesEachProcessAndWhatItStarted() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    ScriptSeeder seeder = new ScriptSeeder("script:test", List.of(
        new ScriptSeeder.Command("a", List.of("/bin/sh", "-c", "sleep 600 & echo $! > " + pidFile + "; wait")),
        new ScriptSeeder.Command("b", List.of("/bin/sleep", "600"))), Duration.ofSeconds(2));
    seeder.start();
    AgentRun.await("the child pid", WAIT, () -> Files.exists(pidFile) && size(pidFile) > 0);
    List<Long> pids = seeder.pids();
    long child = Long.parseLong(Files.readString(pidFile).trim());
    assertEquals(2, pids.size());

    seeder.stop(Duration.ofSeconds(2));

    for (long pid : List.of(pids.get(0), pids.get(1), child)) {
      AgentRun.await("process " + pid + " to end", WAIT,
          () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
    assertTrue(seeder.pids().isEmpty());
  }

  @Test
  void missingProgramFailsToStartNamingIt() {
    ScriptSeeder seeder = new ScriptSeeder("script:test", List.of(
        new ScriptSeeder.Command("a", List.of("/bin/sleep", "600")),
        new ScriptSeeder.Command("b", List.of("/no/such/seeder", "x"))), Duration.ofSeconds(2));

    IOException e = assertThrows(IOException.class, seeder::start);

    assertTrue(e.getMessage().startsWith("cannot start '/no/such/seeder x' (artifact b)"), e.getMessage());
    assertTrue(seeder.pids().isEmpty(), "the commands started before are stopped again");
    assertFalse(seeder.health().state() == SeederHealth.State.RUNNING);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
