package io.github.pierdat.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.ProcessResult;
import io.github.pierdat.it.fixture.RawHttp;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent as a supervisor in a real container (podman, runc, read-only root, non-root, one CPU): the
 * app's output and exit code are the container's, {@code podman stop} ends app and agent within the grace
 * period, a data-only image seeds until stopped, and the watchdog restarts a seeder that breaks while the
 * app keeps running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentLifecycleIT {

  private static final byte[] DATA = TestData.random(1024 * 1024 + 17, 3102);
  private static final String SHA = Sha256.hex(DATA);
  /** podman's stop timeout: SIGKILL after this, which would show as exit code 137. */
  private static final int STOP_SECONDS = 10;
  /** An app that prints a numbered line every 200 ms until it is killed. */
  private static final String TICKING_APP =
      "echo app started; i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done";

  private AgentImage image;

  @BeforeAll
  void build() {
    image = AgentImage.build("agent-lifecycle", DATA);
  }

  @AfterAll
  void stop() {
    if (image != null) {
      image.close();
    }
  }

  @Test
  void appOutputAndExitCodeAreTheContainers() {
    ProcessResult run = image.podman().run(AgentContainer.runOptions(FreePort.find(), Map.of()), image.reference(),
        "sh", "-c", "echo hello from the app; echo to stderr >&2; exit 7");

    assertEquals(7, run.exitCode(), run.toString());
    assertTrue(run.stdout().contains("hello from the app"), run.toString());
    assertTrue(run.stderr().contains("to stderr"), run.toString());
  }

  @Test
  void stopEndsAppAndAgentWithinTheGracePeriod() {
    try (AgentContainer container = AgentContainer.of(image).command("sh", "-c", TICKING_APP).start()) {
      container.awaitLog("app started").awaitSeeding();

      long began = System.nanoTime();
      container.stop(STOP_SECONDS).assertSucceeded();
      Duration took = Duration.ofNanos(System.nanoTime() - began);

      assertEquals(143, container.exitCode(), "the app died of SIGTERM (128+15); 137 would mean SIGKILL:\n"
          + container.logs());
      assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "podman stop took " + took.toMillis() + " ms");
      assertFalse(container.running());
      assertFalse(RawHttp.healthy(container.port()), "the seeder still answers after the container stopped");
    }
  }

  @Test
  void appTrappingTermExitsWithItsOwnCode() {
    try (AgentContainer container = AgentContainer.of(image)
        .command("sh", "-c", "trap 'echo app got TERM; exit 42' TERM; echo app started;"
            + " while :; do sleep 0.2; done")
        .start()) {
      container.awaitLog("app started").awaitSeeding();

      long began = System.nanoTime();
      container.stop(STOP_SECONDS).assertSucceeded();
      Duration took = Duration.ofNanos(System.nanoTime() - began);

      assertEquals(42, container.exitCode(), container.logs());
      assertTrue(container.logs().contains("app got TERM"), container.logs());
      assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "podman stop took " + took.toMillis() + " ms");
    }
  }

  @Test
  void dataOnlyImageSeedsUntilStopped() throws InterruptedException {
    try (AgentContainer container = AgentContainer.of(image).start()) {
      container.awaitSeeding();
      Thread.sleep(2000);

      assertTrue(container.running(), "a data-only container must keep seeding:\n" + container.logs());
      assertEquals(SHA, Sha256.hex(RawHttp.get(container.port(), "/artifacts/" + SHA).body()));

      long began = System.nanoTime();
      container.stop(STOP_SECONDS).assertSucceeded();
      Duration took = Duration.ofNanos(System.nanoTime() - began);

      assertEquals(0, container.exitCode(), container.logs());
      assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "podman stop took " + took.toMillis() + " ms");
    }
  }

  @Test
  void watchdogRestartsACrashedHttpSeederWhileTheAppKeepsRunning() {
    try (AgentContainer container = AgentContainer.of(image)
        .env("PIERDAT_TEST_FAULTS", "http-crash-after:1500ms")
        .command("sh", "-c", TICKING_APP)
        .start()) {
      container.awaitLog("app started").awaitSeeding();

      // Serving again with a restart counted: the seeder crashed, and the watchdog brought it back.
      container.awaitOrFail(() -> restarts(container.port()) >= 1, Duration.ofSeconds(30),
          "the HTTP seeder to answer again after a restart");
      int ticksAfterRestart = lastTick(container.logs());
      RawHttp.Response artifact = RawHttp.get(container.port(), "/artifacts/" + SHA);
      container.awaitOrFail(() -> lastTick(container.logs()) > ticksAfterRestart + 5, Duration.ofSeconds(10),
          "the app to keep printing after the restart");

      String logs = container.logs();
      assertEquals(SHA, Sha256.hex(artifact.body()), artifact.toString());
      assertTrue(logs.contains("crashing the HTTP seeder on purpose"), logs);
      assertTrue(Pattern.compile("http seeder failed: .*; restart #1 in \\d+ ms").matcher(logs).find(), logs);
      assertTrue(container.running(), logs);
      assertEquals(1, count(logs, "app started"), "the app was started more than once:\n" + logs);
    }
  }

  @Test
  void statusInsideTheContainerFindsAnAgentBoundToOneAddress() {
    // 127.0.0.2 stands for a pod IP: an agent bound to one address does not answer on 127.0.0.1.
    try (AgentContainer container = AgentContainer.of(image).env("PIERDAT_BIND", "127.0.0.2").start()) {
      String healthz = "http://127.0.0.2:" + container.port() + "/healthz";
      container.awaitOrFail(() -> container.exec("wget", "-q", "-O", "-", healthz).exitCode() == 0,
          Duration.ofSeconds(30), "the HTTP seeder to answer on 127.0.0.2");

      ProcessResult status = container.exec("java", "-jar", "/opt/pierdat/pierdat-agent.jar", "status");

      assertEquals(0, status.exitCode(), status.toString());
      assertTrue(status.stdout().contains("at http://127.0.0.2:" + container.port() + "/"), status.toString());
      assertTrue(Pattern.compile("(?m)^\\s+http\\s+running\\s+restarts=0$").matcher(status.stdout()).find(),
          status.toString());
    }
  }

  /** {@code pierdat_seeder_restarts_total{backend="http"}}, or -1 while the seeder does not answer. */
  private static long restarts(int port) {
    RawHttp.Response metrics;
    try {
      metrics = RawHttp.get(port, "/metrics");
    } catch (RuntimeException | AssertionError e) {
      return -1;
    }
    Matcher matcher = Pattern.compile("(?m)^pierdat_seeder_restarts_total\\{backend=\"http\"} (\\d+)$")
        .matcher(metrics.text());
    return metrics.status() == 200 && matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
  }

  private static int lastTick(String logs) {
    Matcher matcher = Pattern.compile("(?m)^tick (\\d+)$").matcher(logs);
    int last = 0;
    while (matcher.find()) {
      last = Integer.parseInt(matcher.group(1));
    }
    return last;
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
