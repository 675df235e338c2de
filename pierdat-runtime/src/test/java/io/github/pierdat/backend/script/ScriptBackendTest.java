package io.github.pierdat.backend.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.http.HttpBackend;
import io.github.pierdat.fetch.ArtifactCache;
import io.github.pierdat.fetch.ArtifactFetchException;
import io.github.pierdat.fetch.ArtifactFetcher;
import io.github.pierdat.fetch.ArtifactRequest;
import io.github.pierdat.fetch.FetchedArtifact;
import io.github.pierdat.fetch.ManifestEntries;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.testing.Fixture;
import io.github.pierdat.testing.RecordingLog;
import io.github.pierdat.testing.Scripts;
import io.github.pierdat.testing.TestOrigin;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Script backends with real scripts (and a real aria2c) fetching from a real loopback origin. */
class ScriptBackendTest {

  @TempDir Path dir;
  private Path scripts;
  private TestOrigin origin;
  private byte[] model;
  private String sha;
  private final RecordingLog log = new RecordingLog();

  @BeforeEach
  void setUp() throws Exception {
    scripts = Scripts.install(dir.resolve("bin"), Scripts.ALL);
    model = TestOrigin.randomBytes(700 * 1024, 11);
    sha = Fixture.sha256(model);
    origin = TestOrigin.start().serve("/model.bin", model);
  }

  @AfterEach
  void tearDown() throws Exception {
    origin.close();
  }

  private Backend script(String name) {
    return new ScriptBackendProvider(scripts.toString()).named(ScriptBackend.NAME_PREFIX + name).orElseThrow();
  }

  private FetchContext context(Duration readTimeout) {
    return FetchContext.builder().readTimeout(readTimeout).maxAttempts(1).log(log).build();
  }

  private ArtifactFetcher fetcher(Backends backends) {
    return new ArtifactFetcher(ArtifactCache.at(dir.resolve("cache")), backends);
  }

  @Test
  void aria2cScriptFetchesVerifiedBytesAndItsSeedLineIsStoredAsArgv() throws Exception {
    Backends backends = Backends.of(new HttpBackend(), script("aria2"));
    ArtifactRequest request = new ArtifactRequest(null, "/srv/data/model.bin", sha,
        List.of(URI.create("aria2+" + origin.uri("/model.bin"))));

    FetchedArtifact fetched = fetcher(backends).fetch(request, context(Duration.ofSeconds(30)));

    assertEquals(sha, Fixture.sha256(Files.readAllBytes(fetched.file())));
    assertTrue(origin.requests().get(0).header("user-agent").startsWith("aria2/"), origin.requests().toString());
    ArtifactEntry entry = ManifestEntries.entry(fetched, backends);
    SeedEntry seed = entry.seed("script:aria2").orElseThrow();
    List<List<String>> commands = SeedCommands.fromParams(seed.params());
    assertEquals(1, commands.size());
    List<String> argv = commands.get(0);
    assertEquals("aria2c", argv.get(0));
    assertTrue(argv.contains("--seed-ratio=0.0"), argv.toString());
    assertTrue(argv.contains("--dir=/srv/data"), "the scratch directory is replaced by DEST's: " + argv);
    assertEquals(scripts.resolve("torrents/model.bin.torrent").toString(), argv.get(argv.size() - 1));
    assertTrue(argv.stream().noneMatch(a -> a.contains("pierdat-aria2-")), "no scratch path left: " + argv);
    assertTrue(entry.seed("http").isPresent(), "other backends still seed it");
  }

  @Test
  void seedSpecIsOnlyGivenForBytesTheScriptDelivered() throws Exception {
    Backend aria2 = script("aria2");
    ArtifactEntry other = new ArtifactEntry("x", "/x", 1, Fixture.sha256(new byte[] {1}), List.of(), List.of());
    assertTrue(aria2.seedSpec(other, dir).isEmpty());
  }

  @Test
  void failingScriptReportsItsNameExitCodeAndLastStderrLines() {
    Backends backends = Backends.of(script("broken"));
    ArtifactRequest request = new ArtifactRequest(null, "/data/model.bin", sha, List.of(URI.create("broken:exit")));

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher(backends).fetch(request, context(Duration.ofSeconds(30))));

    assertTrue(e.getMessage().contains("pierdat-get-broken broken:exit exited with code 3"), e.getMessage());
    assertTrue(e.getMessage().contains("first complaint") && e.getMessage().contains("the mirror is gone"),
        e.getMessage());
    assertTrue(log.text().contains("[pierdat] pierdat-get-broken: the mirror is gone"), log.text());
  }

  @Test
  void silentScriptIsStoppedWithItsChildrenAfterTheReadTimeout() throws Exception {
    Backends backends = Backends.of(script("broken"));
    ArtifactRequest request = new ArtifactRequest(null, "/data/model.bin", sha, List.of(URI.create("broken:hang")));
    long start = System.nanoTime();

    ArtifactFetchException e = assertThrows(ArtifactFetchException.class,
        () -> fetcher(backends).fetch(request, context(Duration.ofSeconds(1))));

    assertTrue(e.getMessage().contains("pierdat-get-broken broken:hang made no progress for 1 s"), e.getMessage());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos());
    long child = Long.parseLong(Files.readString(scripts.resolve("hang.pid")).trim());
    ProcessHandle.of(child).ifPresent(h -> {
      try {
        h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception ex) {
        throw new AssertionError("the script's child " + child + " is still running", ex);
      }
    });
    assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void checkScriptDecidesWhichSourcesTheBackendTakes() {
    Backend aria2 = script("aria2");
    assertTrue(aria2.accepts(URI.create("aria2+http://127.0.0.1:1/x")));
    assertFalse(aria2.accepts(URI.create("http://127.0.0.1:1/x")));
    assertFalse(aria2.accepts(URI.create("evil:/etc/passwd")));
  }

  @Test
  void providerTakesCheckAndGetPairsFromThePathFirstDirectoryWinning() throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    executable(first.resolve("pierdat-check-alpha"));
    executable(first.resolve("pierdat-get-alpha"));
    executable(second.resolve("pierdat-check-alpha"));
    executable(second.resolve("pierdat-get-alpha"));
    executable(second.resolve("pierdat-check-lonely"));
    executable(second.resolve("pierdat-check-plain"));
    Files.writeString(second.resolve("pierdat-get-plain"), "#!/bin/sh\n");
    ScriptBackendProvider provider = new ScriptBackendProvider(first + ":" + dir.resolve("missing") + "::" + second);

    List<Backend> found = provider.backends();

    assertEquals(List.of("script:alpha"), found.stream().map(Backend::name).toList());
    assertTrue(found.get(0).toString().contains(first.resolve("pierdat-get-alpha").toString()), found.toString());
  }

  @Test
  void unknownScriptNameStillGetsABackendThatCanOnlySeed() {
    Backend gone = new ScriptBackendProvider("").named("script:gone").orElseThrow();

    assertEquals("script:gone", gone.name());
    assertFalse(gone.accepts(URI.create("gone:x")));
    assertTrue(new ScriptBackendProvider("").named("http").isEmpty());
  }

  @Test
  void backendsLoadFindsTheScriptProviderThroughTheServiceLoader() {
    Backends backends = Backends.load();
    assertTrue(backends.named("http").isPresent());
    assertEquals("script:whatever", backends.named("script:whatever").orElseThrow().name());
  }

  private static void executable(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\nexit 1\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
