package io.github.pierdat.cli;

import static io.github.pierdat.testing.AgentRun.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.testing.AgentRun;
import io.github.pierdat.testing.Fixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as a real child JVM: app output, exit codes, signals, data-only mode, errors, watchdog. */
class AgentEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final List<String> SH = List.of("/bin/sh", "-c");

  @TempDir Path dir;
  private byte[] bytes;
  private ArtifactEntry artifact;
  private int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void setUp() throws Exception {
    Path file = dir.resolve("data/model.bin");
    bytes = Fixture.randomFile(file, 256 * 1024, 3);
    artifact = Fixture.artifact(file, bytes);
    port = Fixture.freePort();
  }

  private Map<String, String> env(Path pierDat, String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("PIERDAT_CONFIG", pierDat.toString());
    env.put("PIERDAT_HTTP_PORT", Integer.toString(port));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private boolean healthy() {
    try {
      return get("/healthz").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private long restarts() {
    try {
      Matcher m = Pattern.compile("pierdat_seeder_restarts_total\\{backend=\"http\"} (\\d+)")
          .matcher(new String(get("/metrics").body()));
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean contains(AgentRun run, String text) {
    try {
      return run.stdout().contains(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void appOutputAppearsAndItsExitCodePropagates() throws Exception {
    Path pierDat = Fixture.pierDat(dir, SH, List.of(artifact));
    try (AgentRun run = AgentRun.start(dir, env(pierDat), "run", "--", "echo hi from the app; exit 3")) {
      assertEquals(3, run.exitCode(WAIT), () -> "stderr: " + stderr(run));
      assertEquals("hi from the app\n", run.stdout());
    }
  }

  @Test
  void commandAfterDoubleDashRunsWithoutAnImageEntrypoint() throws Exception {
    Path pierDat = Fixture.pierDat(dir, List.of(), List.of(artifact));
    try (AgentRun run = AgentRun.start(dir, env(pierDat), "run", "--", "/bin/sh", "-c", "echo $0-$1; exit 0", "a", "b")) {
      assertEquals(0, run.exitCode(WAIT));
      assertEquals("a-b\n", run.stdout());
    }
  }

  @Test
  void sigtermIsForwardedToTheAppAndTheAgentExitsWithItsCode() throws Exception {
    Path pierDat = Fixture.pierDat(dir, SH, List.of(artifact));
    String app = "trap 'echo got-term; exit 7' TERM; echo ready; while :; do sleep 0.1; done";
    try (AgentRun run = AgentRun.start(dir, env(pierDat, "PIERDAT_GRACE", "2"), "run", "--", app)) {
      await("app ready", WAIT, () -> contains(run, "ready"));
      long signalled = System.nanoTime();
      run.signal("TERM");
      assertEquals(7, run.exitCode(WAIT));
      assertTrue(System.nanoTime() - signalled < Duration.ofSeconds(4).toNanos(), "agent took longer than the grace");
      assertTrue(run.stdout().contains("got-term"), run.stdout());
    }
  }

  @Test
  void appKilledByTermGives143() throws Exception {
    Path pierDat = Fixture.pierDat(dir, SH, List.of(artifact));
    try (AgentRun run = AgentRun.start(dir, env(pierDat), "run", "--", "echo ready; exec sleep 30")) {
      await("app ready", WAIT, () -> contains(run, "ready"));
      run.signal("TERM");
      assertEquals(143, run.exitCode(WAIT));
    }
  }

  @Test
  void sigintAndSighupAreForwardedAsTheSameSignal() throws Exception {
    Path pierDat = Fixture.pierDat(dir, SH, List.of(artifact));
    String app = "trap 'echo got-hup' HUP; trap 'echo got-int; exit 5' INT; echo ready; while :; do sleep 0.1; done";
    try (AgentRun run = AgentRun.start(dir, env(pierDat), "run", "--", app)) {
      await("app ready", WAIT, () -> contains(run, "ready"));
      run.signal("HUP");
      await("HUP reaches the app", WAIT, () -> contains(run, "got-hup"));
      run.signal("INT");
      assertEquals(5, run.exitCode(WAIT));
      assertTrue(run.stdout().contains("got-int"), run.stdout());
    }
  }

  @Test
  void dataOnlyImageSeedsUntilSigtermThenExitsZero() throws Exception {
    Path pierDat = Fixture.pierDat(dir, List.of(), List.of(artifact));
    try (AgentRun run = AgentRun.start(dir, env(pierDat), "run")) {
      await("HTTP seeder up", WAIT, this::healthy);
      HttpResponse<byte[]> r = get("/artifacts/" + artifact.sha256());
      assertEquals(200, r.statusCode());
      assertEquals(artifact.sha256(), Fixture.sha256(r.body()));
      assertTrue(run.process().isAlive());
      run.signal("TERM");
      assertEquals(0, run.exitCode(WAIT));
    }
  }

  @Test
  void unknownPierDatVersionIsRefusedClearly() throws Exception {
    Path pierDat = dir.resolve("pier.dat");
    Files.writeString(pierDat, "{\"version\": 99, \"app\": {\"entrypoint\": [\"/bin/echo\"]}}");
    try (AgentRun run = AgentRun.start(dir, env(pierDat), "run", "--", "hello")) {
      assertEquals(2, run.exitCode(WAIT));
      assertTrue(run.stderr().contains("has version 99, but this agent reads version 1"), run.stderr());
      assertEquals("", run.stdout(), "the app must not run");
    }
  }

  @Test
  void malformedHttpPortFailsFastNamingTheVariable() throws Exception {
    Path pierDat = Fixture.pierDat(dir, SH, List.of(artifact));
    Map<String, String> env = env(pierDat);
    env.put("PIERDAT_HTTP_PORT", "80a");
    try (AgentRun run = AgentRun.start(dir, env, "run", "--", "echo must-not-run")) {
      assertEquals(2, run.exitCode(WAIT));
      assertTrue(run.stderr().contains("PIERDAT_HTTP_PORT='80a' is not valid: expected a TCP port number"), run.stderr());
      assertEquals("", run.stdout());
    }
  }

  @Test
  void unknownPierdatVariableFailsFast() throws Exception {
    Path pierDat = Fixture.pierDat(dir, SH, List.of(artifact));
    try (AgentRun run = AgentRun.start(dir, env(pierDat, "PIERDAT_HTTP_PROT", "8080"), "run", "--", "echo x")) {
      assertEquals(2, run.exitCode(WAIT));
      assertTrue(run.stderr().contains("unknown environment variable PIERDAT_HTTP_PROT"), run.stderr());
    }
  }

  @Test
  void missingProgramExits127WithAMessage() throws Exception {
    Path pierDat = Fixture.pierDat(dir, List.of(), List.of(artifact));
    try (AgentRun run = AgentRun.start(dir, env(pierDat), "run", "--", "/no/such/program", "x")) {
      assertEquals(127, run.exitCode(WAIT));
      assertTrue(run.stderr().contains("/no/such/program not found"), run.stderr());
    }
  }

  @Test
  void missingArtifactIsNotSeededButTheAppRunsAndOthersAreServed() throws Exception {
    ArtifactEntry missing = new ArtifactEntry("gone.bin", dir.resolve("data/gone.bin").toString(), 10,
        "a".repeat(64), List.of(), artifact.seeds());
    ArtifactEntry truncated = Fixture.artifact(dir.resolve("data/short.bin"), new byte[100]);
    Files.write(dir.resolve("data/short.bin"), new byte[50]);
    Path pierDat = Fixture.pierDat(dir, SH, List.of(missing, truncated, artifact));
    try (AgentRun run = AgentRun.start(dir, env(pierDat, "PIERDAT_LOG", "info"), "run", "--", "echo app-ran; sleep 30")) {
      await("HTTP seeder up", WAIT, this::healthy);
      assertTrue(run.stdout().contains("app-ran"));
      assertEquals(200, get(artifact.path()).statusCode());
      assertEquals(404, get(missing.path()).statusCode());
      assertEquals(404, get(truncated.path()).statusCode());
      String log = run.stderr();
      assertTrue(log.contains("NOT SEEDING artifact gone.bin"), log);
      assertTrue(log.contains("NOT SEEDING artifact short.bin") && log.contains("(truncated)"), log);
    }
  }

  @Test
  void fullVerificationRefusesAnArtifactWhoseBytesChanged() throws Exception {
    Path pierDat = Fixture.pierDat(dir, List.of(), List.of(artifact));
    byte[] changed = bytes.clone();
    changed[1000] ^= 1;
    Files.write(Path.of(artifact.path()), changed);
    try (AgentRun run = AgentRun.start(dir, env(pierDat, "PIERDAT_VERIFY", "full"), "run")) {
      await("HTTP seeder up", WAIT, this::healthy);
      assertEquals(404, get(artifact.path()).statusCode());
      assertTrue(run.stderr().contains("has sha256 " + Fixture.sha256(changed) + " but pier.dat records"), run.stderr());
    }
  }

  @Test
  void crashingSeederIsRestartedWithBackoffAndCounted() throws Exception {
    Path pierDat = Fixture.pierDat(dir, SH, List.of(artifact));
    Map<String, String> env = env(pierDat, "PIERDAT_TEST_FAULTS", "http-crash-after:700ms");
    try (AgentRun run = AgentRun.start(dir, env, "run", "--", "echo app-up; sleep 60")) {
      long started = System.nanoTime();
      await("two restarts", Duration.ofSeconds(30), () -> restarts() >= 2);
      // 0.7 s up, >= 0.75 s backoff, 0.7 s up, >= 1.5 s backoff: at least ~3.6 s for two restarts.
      assertTrue(System.nanoTime() - started > Duration.ofMillis(3000).toNanos(), "restarted without backoff");
      assertTrue(run.process().isAlive(), "the agent must survive a crashing seeder");
      assertTrue(run.stdout().contains("app-up"));
      assertEquals(200, get(artifact.path()).statusCode());
      String log = run.stderr();
      assertTrue(log.contains("http seeder failed: injected fault") && log.contains("restart #2"), log);
    }
  }

  @Test
  void seederComesUpOnceItsBusyPortIsFreed() throws Exception {
    Path pierDat = Fixture.pierDat(dir, List.of(), List.of(artifact));
    AgentRun run;
    try (ServerSocket squatter = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      run = AgentRun.start(dir, env(pierDat), "run");
      await("a failed start", WAIT, () -> {
        try {
          return run.stderr().contains("restart #1");
        } catch (IOException e) {
          return false;
        }
      });
      assertTrue(run.stderr().contains("cannot listen on 127.0.0.1:" + port), run.stderr());
    }
    try (run) {
      await("HTTP seeder up after the port is freed", Duration.ofSeconds(20), this::healthy);
      assertTrue(restarts() >= 1);
      assertEquals(artifact.sha256(), Fixture.sha256(get("/artifacts/" + artifact.sha256()).body()));
    }
  }

  @Test
  void statusPrintsArtifactsAndSeedersOfTheRunningAgent() throws Exception {
    Path pierDat = Fixture.pierDat(dir, List.of(), List.of(artifact));
    try (AgentRun agent = AgentRun.start(dir, env(pierDat), "run")) {
      await("HTTP seeder up", WAIT, this::healthy);
      await("seeder reported running", WAIT, () -> {
        try {
          return new String(get("/").body()).contains("\"running\"");
        } catch (IOException | InterruptedException e) {
          return false;
        }
      });
      try (AgentRun status = AgentRun.start(dir, env(pierDat), "status")) {
        assertEquals(0, status.exitCode(WAIT), () -> stderr(status));
        String out = status.stdout();
        assertTrue(out.contains("model.bin") && out.contains(artifact.sha256()) && out.contains("seeds: http, bittorrent"), out);
        assertTrue(out.matches("(?s).*http\\s+running\\s+restarts=0.*"), out);
      }
    }
  }

  @Test
  void backendsNoneRunsTheAppWithoutOpeningAnyPort() throws Exception {
    Path pierDat = Fixture.pierDat(dir, SH, List.of(artifact));
    try (AgentRun run = AgentRun.start(dir, env(pierDat, "PIERDAT_BACKENDS", "none", "PIERDAT_LOG", "info"),
        "run", "--", "echo up; sleep 2; echo done")) {
      await("app up", WAIT, () -> contains(run, "up"));
      Thread.sleep(1000);
      try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertTrue(free.isBound(), "the HTTP port must stay free");
      }
      assertEquals(0, run.exitCode(WAIT));
      assertTrue(run.stdout().contains("done"));
      assertTrue(run.stderr().contains("seeding disabled"), run.stderr());
    }
  }

  @Test
  void statusAsksTheAgentAtTheAddressItIsBoundTo() throws Exception {
    Path pierDat = Fixture.pierDat(dir, List.of(), List.of(artifact));
    // 127.0.0.2 is loopback too, but an agent bound to it does not answer on 127.0.0.1.
    Map<String, String> env = env(pierDat, "PIERDAT_BIND", "127.0.0.2");
    try (AgentRun agent = AgentRun.start(dir, env, "run")) {
      await("HTTP seeder up on 127.0.0.2", WAIT, () -> answers("127.0.0.2"));
      try (AgentRun status = AgentRun.start(dir, env, "status")) {
        assertEquals(0, status.exitCode(WAIT), () -> stderr(status));
        assertTrue(status.stdout().contains("at http://127.0.0.2:" + port + "/"), status.stdout());
      }
    }
  }

  private boolean answers(String host) {
    try (java.net.Socket socket = new java.net.Socket(host, port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void statusExitsNonZeroWhenNoAgentAnswers() throws Exception {
    Path pierDat = Fixture.pierDat(dir, List.of(), List.of(artifact));
    try (AgentRun status = AgentRun.start(dir, env(pierDat), "status")) {
      assertEquals(1, status.exitCode(WAIT));
      assertTrue(status.stderr().contains("cannot reach the agent at http://127.0.0.1:" + port), status.stderr());
    }
  }

  private static String stderr(AgentRun run) {
    try {
      return run.stderr();
    } catch (IOException e) {
      return e.toString();
    }
  }
}
