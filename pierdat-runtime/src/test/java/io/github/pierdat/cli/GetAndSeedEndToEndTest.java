package io.github.pierdat.cli;

import static io.github.pierdat.testing.AgentRun.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.script.SeedCommands;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.testing.AgentRun;
import io.github.pierdat.testing.Fixture;
import io.github.pierdat.testing.Scripts;
import io.github.pierdat.testing.TestOrigin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pierdat get} and {@code pierdat run} as real child JVMs whose PATH holds the fixture scripts: a
 * script backend fetches with a real aria2c, its seed line lands in pier.dat as an argument list, and the
 * agent keeps that seeder running under its watchdog, without ever handing the line to a shell.
 */
class GetAndSeedEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Path scripts;
  private Path pierDat;
  private TestOrigin origin;
  private byte[] model;
  private String sha;

  @BeforeEach
  void setUp() throws Exception {
    scripts = Scripts.install(dir.resolve("bin"), Scripts.ALL);
    pierDat = dir.resolve("etc/pier.dat");
    model = TestOrigin.randomBytes(512 * 1024, 21);
    sha = Fixture.sha256(model);
    origin = TestOrigin.start().serve("/model.bin", model);
  }

  @AfterEach
  void tearDown() throws Exception {
    origin.close();
  }

  private Map<String, String> env(String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", Scripts.path(scripts));
    env.put("HOME", dir.resolve("home").toString());
    env.put("PIERDAT_CONFIG", pierDat.toString());
    env.put("PIERDAT_CACHE", dir.resolve("cache").toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  private Map<String, String> agentEnv(int port) {
    Map<String, String> env = env("PIERDAT_HTTP_PORT", Integer.toString(port), "PIERDAT_BIND", "127.0.0.1",
        "PIERDAT_LOG", "info", "PIERDAT_GRACE", "3");
    env.remove("PIERDAT_CACHE");
    return env;
  }

  private int get(Map<String, String> env, String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "get";
    System.arraycopy(args, 0, all, 1, args.length);
    try (AgentRun run = AgentRun.start(dir, env, all)) {
      int code = run.exitCode(Duration.ofSeconds(90));
      lastErr = run.stderr();
      lastOut = run.stdout();
      return code;
    }
  }

  private String lastErr = "";
  private String lastOut = "";

  @Test
  void getAsAChildJvmExitsZeroAndOneWithMessages() throws Exception {
    String dest = dir.resolve("data/model.bin").toString();
    assertEquals(1, get(env(), origin.uri("/model.bin").toString(), dest));
    assertEquals(sha, lastOut.trim());
    assertTrue(lastErr.contains("run again with --sha256 " + sha), lastErr);

    assertEquals(0, get(env(), "--sha256", sha, origin.uri("/model.bin").toString(), dest), () -> lastErr);
    assertEquals(sha, Fixture.sha256(Files.readAllBytes(Path.of(dest))));
    assertEquals(dest, PierDatCodec.read(pierDat).artifacts().get(0).path());
  }

  @Test
  void aria2ScriptBackendFetchesAndTheAgentKeepsItsSeederRunning() throws Exception {
    Path dest = dir.resolve("data/model.bin");
    Path torrents = dir.resolve("torrents");
    Files.createDirectories(torrents);

    assertEquals(0, get(env("ARIA2_SEED_DIR", torrents.toString()), "--sha256", sha,
        "aria2+" + origin.uri("/model.bin"), dest.toString()), () -> lastErr);

    assertEquals(sha, Fixture.sha256(Files.readAllBytes(dest)));
    ArtifactEntry entry = PierDatCodec.read(pierDat).artifacts().get(0);
    List<String> argv = SeedCommands.fromParams(entry.seed("script:aria2").orElseThrow().params()).get(0);
    assertEquals("aria2c", argv.get(0));
    assertTrue(argv.contains("--seed-ratio=0.0") && argv.contains("--dir=" + dest.getParent()), argv.toString());
    assertEquals(torrents.resolve("model.bin.torrent").toString(), argv.get(argv.size() - 1));

    int port = Fixture.freePort();
    try (AgentRun agent = AgentRun.start(dir, agentEnv(port), "run")) {
      await("aria2c seeding under the agent", WAIT, () -> seeder(agent, "aria2c").isPresent());
      ProcessHandle first = seeder(agent, "aria2c").orElseThrow();
      assertEquals(argv.subList(1, argv.size()), first.info().arguments().map(List::of).orElseThrow());

      first.destroyForcibly();

      await("a new aria2c after the kill", WAIT,
          () -> seeder(agent, "aria2c").filter(p -> p.pid() != first.pid()).isPresent());
      assertTrue(restarts(port, "script:aria2") >= 1, "the watchdog counts the restart");
      ProcessHandle second = seeder(agent, "aria2c").orElseThrow();

      agent.signal("TERM");
      assertEquals(0, agent.exitCode(WAIT), agent::toString);
      await("the seeder stops with the agent", WAIT, () -> !second.isAlive());
    }
  }

  @Test
  void seedLineWithShellMetacharactersIsRunAsPlainArguments() throws Exception {
    Path evil = dir.resolve("evil");
    Files.createDirectories(evil);
    Path source = dir.resolve("source.bin");
    Files.write(source, model);
    Path dest = dir.resolve("data/evil.bin");

    assertEquals(0, get(env("EVIL_DIR", evil.toString()), "--sha256", sha, "evil:" + source, dest.toString()),
        () -> lastErr);

    String d = evil.toString();
    List<String> expected = List.of("pierdat-seed-evil", d + "/args", ";", "touch", d + "/semicolon", "$(touch",
        d + "/dollar)", "`touch", d + "/backquote`", "|", "touch", d + "/pipe", "&&", "touch", d + "/and", ">",
        d + "/redirect");
    ArtifactEntry entry = PierDatCodec.read(pierDat).artifacts().get(0);
    assertEquals(List.of(expected), SeedCommands.fromParams(entry.seed("script:evil").orElseThrow().params()));

    int port = Fixture.freePort();
    try (AgentRun agent = AgentRun.start(dir, agentEnv(port), "run")) {
      Path args = evil.resolve("args");
      await("the evil seeder to record its arguments", WAIT, () -> Files.exists(args));
      assertEquals(expected.subList(2, expected.size()), Files.readAllLines(args));
      assertTrue(seeder(agent, "sleep").isPresent(), "the seeder stays up");
      agent.signal("TERM");
      assertEquals(0, agent.exitCode(WAIT));
    }
    for (String marker : List.of("semicolon", "dollar", "backquote", "pipe", "and", "redirect")) {
      assertFalse(Files.exists(evil.resolve(marker)), "no shell ran the line: " + marker + " exists");
    }
  }

  private static Optional<ProcessHandle> seeder(AgentRun agent, String program) {
    return agent.process().descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("/" + program)).orElse(false))
        .findFirst();
  }

  private static long restarts(int port, String backend) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5))
              .build(), HttpResponse.BodyHandlers.ofString());
      Matcher m = Pattern.compile("pierdat_seeder_restarts_total\\{backend=\"" + Pattern.quote(backend) + "\"} (\\d+)")
          .matcher(r.body());
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
