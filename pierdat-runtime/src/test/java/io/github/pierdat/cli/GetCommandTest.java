package io.github.pierdat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.testing.Fixture;
import io.github.pierdat.testing.TestOrigin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pierdat get} in-process, against a real HTTP origin on loopback. */
class GetCommandTest {

  @TempDir Path dir;
  private TestOrigin origin;
  private byte[] model;
  private String modelSha;
  private byte[] vocab;
  private String vocabSha;
  private Path pierDat;
  private Path cache;
  private final Map<String, String> env = new HashMap<>();
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  @BeforeEach
  void setUp() throws Exception {
    model = TestOrigin.randomBytes(600 * 1024, 1);
    modelSha = Fixture.sha256(model);
    vocab = TestOrigin.randomBytes(50 * 1024, 2);
    vocabSha = Fixture.sha256(vocab);
    origin = TestOrigin.start().serve("/model.bin", model).serve("/vocab.txt", vocab);
    pierDat = dir.resolve("etc/pier.dat");
    cache = dir.resolve("cache");
    env.put("PIERDAT_CONFIG", pierDat.toString());
    env.put("PIERDAT_CACHE", cache.toString());
    env.put("HOME", dir.resolve("home").toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    origin.close();
  }

  private int get(String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>();
    all.add("get");
    all.addAll(List.of(args));
    return Main.run(all, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String dest(String name) {
    return dir.resolve("data").resolve(name).toString();
  }

  @Test
  void writesVerifiedReadOnlyDestAndCreatesPierDat() throws Exception {
    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")), this::stderr);

    Path file = Path.of(dest("model.bin"));
    assertEquals(modelSha, Fixture.sha256(Files.readAllBytes(file)));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    PierDat written = PierDatCodec.read(pierDat);
    assertEquals(AgentSettings.defaults(), written.settings());
    assertEquals(1, written.artifacts().size());
    ArtifactEntry entry = written.artifacts().get(0);
    assertEquals("model.bin", entry.name());
    assertEquals(dest("model.bin"), entry.path());
    assertEquals(model.length, entry.size());
    assertEquals(modelSha, entry.sha256());
    assertEquals(List.of(origin.uri("/model.bin").toString()), entry.sources());
    assertEquals("/artifacts/" + modelSha, entry.seed("http").orElseThrow().param("path"));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(pierDat)));
    assertTrue(stderr().contains("recorded in " + pierDat), stderr());
    try (var leftovers = Files.list(file.getParent())) {
      assertEquals(List.of(file), leftovers.toList(), "no temporary files next to DEST");
    }
  }

  @Test
  void secondGetAppendsASecondEntry() throws Exception {
    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")), this::stderr);
    assertEquals(0, get("--sha256", vocabSha, "--name", "vocabulary", origin.uri("/vocab.txt").toString(),
        dest("vocab.txt")), this::stderr);

    List<ArtifactEntry> entries = PierDatCodec.read(pierDat).artifacts();
    assertEquals(List.of(dest("model.bin"), dest("vocab.txt")), entries.stream().map(ArtifactEntry::path).toList());
    assertEquals(List.of("model.bin", "vocabulary"), entries.stream().map(ArtifactEntry::name).toList());
    assertEquals(vocabSha, Fixture.sha256(Files.readAllBytes(Path.of(dest("vocab.txt")))));
    assertEquals(modelSha, Fixture.sha256(Files.readAllBytes(Path.of(dest("model.bin")))));
  }

  @Test
  void sameDestTwiceReplacesTheFileAndItsEntry() throws Exception {
    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")), this::stderr);
    assertEquals(0, get("--sha256", vocabSha, origin.uri("/vocab.txt").toString(), dest("model.bin")), this::stderr);

    List<ArtifactEntry> entries = PierDatCodec.read(pierDat).artifacts();
    assertEquals(1, entries.size());
    assertEquals(vocabSha, entries.get(0).sha256());
    assertEquals(vocabSha, Fixture.sha256(Files.readAllBytes(Path.of(dest("model.bin")))));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(dest("model.bin")))));
  }

  @Test
  void existingPierDatKeepsItsSettingsAppAndArtifacts() throws Exception {
    AgentSettings settings = new AgentSettings(9000, 7000, "127.0.0.1", null, 1024, List.of("peer:1"), null, null, "info");
    ArtifactEntry earlier = Fixture.artifact(dir.resolve("earlier.bin"), vocab);
    PierDatCodec.write(new PierDat(1, settings, new AppCommand(List.of("/app/run"), List.of("--serve"), "/app"),
        List.of(earlier)), pierDat);

    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")), this::stderr);

    PierDat written = PierDatCodec.read(pierDat);
    assertEquals(settings, written.settings());
    assertEquals(List.of("/app/run"), written.app().entrypoint());
    assertEquals(List.of(earlier.path(), dest("model.bin")), written.artifacts().stream().map(ArtifactEntry::path).toList());
  }

  @Test
  void sha256MismatchWritesNeitherDestNorPierDat() throws Exception {
    assertEquals(0, get("--sha256", vocabSha, origin.uri("/vocab.txt").toString(), dest("vocab.txt")), this::stderr);
    byte[] before = Files.readAllBytes(pierDat);
    String expected = Fixture.sha256("other bytes".getBytes(StandardCharsets.UTF_8));

    assertEquals(1, get("--sha256", expected, origin.uri("/model.bin").toString(), dest("model.bin")));

    assertTrue(stderr().contains("sha256 mismatch: expected " + expected + ", got " + modelSha), stderr());
    assertTrue(stderr().contains("nothing was written"), stderr());
    assertFalse(Files.exists(Path.of(dest("model.bin"))));
    assertArrayEquals(before, Files.readAllBytes(pierDat));
  }

  @Test
  void allSourcesFailingListsEachSourceWithItsReason() throws Exception {
    origin.status("/broken.bin", 500);
    int closed = Fixture.freePort();
    String missing = origin.uri("/missing.bin").toString();
    String broken = origin.uri("/broken.bin").toString();
    String refused = "http://127.0.0.1:" + closed + "/model.bin";

    assertEquals(1, get("--sha256", modelSha, "--retries", "1", missing, broken, refused, dest("model.bin")));

    String text = stderr();
    assertTrue(text.contains("could not be fetched from any of its 3 sources"), text);
    assertTrue(text.contains("  - " + missing + ": ") && text.contains("404"), text);
    assertTrue(text.contains("  - " + broken + ": ") && text.contains("500"), text);
    assertTrue(text.contains("  - " + refused + ": "), text);
    assertFalse(Files.exists(pierDat));
    assertFalse(Files.exists(Path.of(dest("model.bin"))));
  }

  @Test
  void withoutSha256PrintsTheSha256AndTheFlagToAddAndWritesNothing() throws Exception {
    assertEquals(1, get(origin.uri("/model.bin").toString(), dest("model.bin")));

    assertEquals(modelSha, stdout().trim());
    assertTrue(stderr().contains("run again with --sha256 " + modelSha), stderr());
    assertFalse(Files.exists(pierDat));
    assertFalse(Files.exists(Path.of(dest("model.bin"))));
    // The bytes were cached: pinning them needs no second download.
    long served = origin.bytesServed();
    origin.close();
    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")), this::stderr);
    assertEquals(model.length, served);
  }

  @Test
  void relativeDestIsRefusedBeforeFetching() {
    assertEquals(2, get("--sha256", modelSha, origin.uri("/model.bin").toString(), "data/model.bin"));

    assertTrue(stderr().contains("DEST 'data/model.bin' is not absolute"), stderr());
    assertTrue(stderr().contains("/data/model.bin"), stderr());
    assertTrue(origin.requests().isEmpty());
  }

  @Test
  void directoryDestIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("data/models"));

    assertEquals(2, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("models")));

    assertTrue(stderr().contains("DEST '" + dest("models") + "' is a directory"), stderr());
    assertTrue(origin.requests().isEmpty());
    assertFalse(Files.exists(pierDat));
  }

  @Test
  void destUnderAFileIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/plain"), "x");

    assertEquals(2, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("plain/model.bin")));

    assertTrue(stderr().contains("is a file, not a directory"), stderr());
  }

  @Test
  void destThatCannotHoldAnArtifactIsRefusedNamingItAndWhatIsExpected() {
    String src = origin.uri("/model.bin").toString();
    String dotDot = dir + "/data/../model.bin";

    assertEquals(2, get("--sha256", modelSha, src, dotDot));
    assertTrue(stderr().contains("DEST '" + dotDot + "' is not normalized (empty, '.' or '..' segment); write it "
        + "without them"), stderr());
    assertEquals(2, get("--sha256", modelSha, src, "/opt/pierdat/model.bin"));
    assertTrue(stderr().contains("DEST '/opt/pierdat/model.bin' is inside /opt/pierdat, which pierdat reserves for "
        + "its agent"), stderr());
    assertEquals(2, get("--sha256", modelSha, src, "/data\\model.bin"));
    assertTrue(stderr().contains("DEST '/data\\model.bin' contains a NUL or backslash character; expected a path "
        + "with / separators"), stderr());
    assertEquals(2, get("--sha256", modelSha, src, pierDat.toString()));
    assertTrue(stderr().contains("DEST '" + pierDat + "' is pier.dat itself (PIERDAT_CONFIG); choose another path"),
        stderr());
    assertTrue(origin.requests().isEmpty());
    assertFalse(Files.exists(pierDat));
  }

  @Test
  void srcThatIsNotAUriWithASchemeIsAUsageErrorNamingItAndTheExpectedForm() {
    assertEquals(2, get("--sha256", modelSha, "/srv/model.bin", dest("model.bin")));
    assertTrue(stderr().contains("SRC '/srv/model.bin' has no scheme; expected a URI such as https://host/path or "
        + "file:/srv/model.bin"), stderr());
    assertEquals(2, get("--sha256", modelSha, "http://host/a b", dest("model.bin")));
    assertTrue(stderr().contains("SRC 'http://host/a b' is not a URI: Illegal character in path at index 13; "
        + "expected e.g. https://host/path or file:/abs/path"), stderr());
    assertTrue(origin.requests().isEmpty());
    assertFalse(Files.exists(pierDat));
  }

  @Test
  void malformedIpfsCidIsAUsageErrorBeforeAnySourceIsTriedEvenWhenAnotherWouldDeliver() {
    String src = origin.uri("/model.bin").toString();

    assertEquals(2, get("--sha256", modelSha, src, "ipfs://bafyNOTACID", dest("model.bin")));

    assertTrue(stderr().contains("source ipfs://bafyNOTACID: invalid CID \"bafyNOTACID\""), stderr());
    assertTrue(origin.requests().isEmpty());
    assertFalse(Files.exists(Path.of(dest("model.bin"))));
    assertFalse(Files.exists(pierDat));
  }

  @Test
  void malformedPierdatVariableIsAUsageErrorNamingTheVariableTheValueAndWhatIsExpected() {
    env.put("PIERDAT_LOG", "loud");

    assertEquals(2, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")));

    assertTrue(stderr().contains("PIERDAT_LOG='loud' is not valid: expected one of error, warn, info, debug"),
        stderr());
    assertTrue(origin.requests().isEmpty());
    assertFalse(Files.exists(pierDat));
  }

  @Test
  void unreadablePierDatIsAUsageErrorNamingTheFileAndWhatToDo() throws Exception {
    Files.createDirectories(pierDat.getParent());
    Files.writeString(pierDat, "{ not json");

    assertEquals(2, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")));

    assertTrue(stderr().contains(pierDat.toString()), stderr());
    assertTrue(stderr().contains("fix or remove it, or set PIERDAT_CONFIG"), stderr());
    assertEquals("{ not json", Files.readString(pierDat));
    assertFalse(Files.exists(Path.of(dest("model.bin"))));
  }

  @Test
  void unknownSchemeIsReportedWithTheSupportedOnes() {
    assertEquals(1, get("--sha256", modelSha, "gopher://127.0.0.1/model.bin", dest("model.bin")));

    assertTrue(stderr().contains("gopher://127.0.0.1/model.bin: unsupported scheme 'gopher'; supported schemes: "),
        stderr());
    assertTrue(stderr().contains("http"), stderr());
    assertFalse(Files.exists(pierDat));
  }

  @Test
  void offlineServesFromTheCacheAndFailsOnAMiss() throws Exception {
    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")), this::stderr);
    origin.close();

    assertEquals(0, get("-o", "--sha256", modelSha, origin.uri("/model.bin").toString(), dest("copy.bin")), this::stderr);
    assertEquals(modelSha, Fixture.sha256(Files.readAllBytes(Path.of(dest("copy.bin")))));

    assertEquals(1, get("--offline", "--sha256", vocabSha, origin.uri("/vocab.txt").toString(), dest("vocab.txt")));
    assertTrue(stderr().contains("(sha256 " + vocabSha + ") is not in the cache at " + cache), stderr());
    assertFalse(Files.exists(Path.of(dest("vocab.txt"))));
    assertEquals(2, PierDatCodec.read(pierDat).artifacts().size());
  }

  @Test
  void peerIsAskedBeforeTheSourcesAndIsNotRecorded() throws Exception {
    try (TestOrigin peer = TestOrigin.start().serve("/artifacts/" + modelSha, model)) {
      assertEquals(0, get("--peer", "127.0.0.1:" + peer.port(), "--sha256", modelSha,
          origin.uri("/model.bin").toString(), dest("model.bin")), this::stderr);

      assertEquals(1, peer.requests().size());
      assertTrue(origin.requests().isEmpty(), "the origin is only the fallback");
      assertEquals(List.of(origin.uri("/model.bin").toString()), PierDatCodec.read(pierDat).artifacts().get(0).sources());
    }
  }

  @Test
  void peerWithoutSha256IsAUsageError() {
    assertEquals(2, get("--peer", "127.0.0.1:7780", origin.uri("/model.bin").toString(), dest("model.bin")));
    assertTrue(stderr().contains("--peer needs --sha256"), stderr());
  }

  @Test
  void badOptionValuesNameTheOptionAndTheValue() {
    assertEquals(2, get("--sha256", "abc", origin.uri("/model.bin").toString(), dest("model.bin")));
    assertTrue(stderr().contains("--sha256 'abc' is not a sha256: expected 64 hex digits"), stderr());
    assertEquals(2, get("--sha256", modelSha, "--retries", "zero", origin.uri("/model.bin").toString(), dest("m")));
    assertTrue(stderr().contains("--retries 'zero' is not valid: expected attempts per source as a whole number "
        + "from 1 to 100"), stderr());
    assertEquals(2, get(origin.uri("/model.bin").toString(), dest("m"), "--sha256"));
    assertTrue(stderr().contains("--sha256 needs a value"), stderr());
    assertEquals(2, get("--peer", "nohost", "--sha256", modelSha, origin.uri("/model.bin").toString(), dest("m")));
    assertTrue(stderr().contains("--peer 'nohost' is not a peer"), stderr());
    assertEquals(2, get("--sha256", modelSha, dest("model.bin")));
    assertTrue(stderr().contains("get needs at least one SRC and a DEST") && stderr().contains("(got 1 argument)"),
        stderr());
    assertEquals(2, get("--frobnicate", origin.uri("/model.bin").toString(), dest("m")));
    assertTrue(stderr().contains("unknown option --frobnicate for get"), stderr());
    assertEquals(2, get("--copy=yes", "--sha256", modelSha, origin.uri("/model.bin").toString(), dest("m")));
    assertTrue(stderr().contains("--copy takes no value (got 'yes')"), stderr());
    assertTrue(origin.requests().isEmpty());
  }

  @Test
  void credentialsInASourceNeverReachPierDatOrTheLog() throws Exception {
    origin.requireBasic("reader", "s3cret-token");
    String source = "http://reader:s3cret-token@127.0.0.1:" + origin.port() + "/model.bin";

    assertEquals(0, get("--sha256", modelSha, source, dest("model.bin")), this::stderr);

    String json = Files.readString(pierDat);
    assertFalse(json.contains("s3cret-token"), json);
    assertTrue(json.contains("http://127.0.0.1:" + origin.port() + "/model.bin"), json);
    assertFalse(stderr().contains("s3cret-token"), stderr());
  }

  @Test
  void failedPierDatWriteLeavesTheEarlierDestInPlace() throws Exception {
    Path file = Path.of(dest("model.bin"));
    Files.createDirectories(file.getParent());
    Files.write(file, vocab);
    // pier.dat's directory cannot be created: its parent is a file.
    Files.writeString(dir.resolve("blocker"), "not a directory");
    env.put("PIERDAT_CONFIG", dir.resolve("blocker/pier.dat").toString());

    assertEquals(1, get("--sha256", modelSha, origin.uri("/model.bin").toString(), file.toString()));

    assertTrue(stderr().contains("cannot write " + dir.resolve("blocker/pier.dat")), stderr());
    assertTrue(stderr().contains("was left as it was"), stderr());
    assertArrayEquals(vocab, Files.readAllBytes(file));
  }

  @Test
  void noCacheKeepsNothingInTheDefaultCache() throws Exception {
    env.remove("PIERDAT_CACHE");

    assertEquals(0, get("--no-cache", "--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")),
        this::stderr);

    assertEquals(modelSha, Fixture.sha256(Files.readAllBytes(Path.of(dest("model.bin")))));
    assertFalse(Files.exists(dir.resolve("home/.cache/pierdat")));
  }

  @Test
  void noCacheReplacesAnEarlierDestWithTheVerifiedReadOnlyFileAndLeavesNothingBeside() throws Exception {
    Path file = Path.of(dest("model.bin"));
    Files.createDirectories(file.getParent());
    Files.write(file, vocab);

    assertEquals(0, get("--no-cache", "--sha256", modelSha, origin.uri("/model.bin").toString(), file.toString()),
        this::stderr);

    assertEquals(modelSha, Fixture.sha256(Files.readAllBytes(file)));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (var leftovers = Files.list(file.getParent())) {
      assertEquals(List.of(file), leftovers.toList(), "no temporary or backup files next to DEST");
    }
  }

  @Test
  void noCacheWithAFailedPierDatWriteLeavesTheEarlierDestInPlace() throws Exception {
    Path file = Path.of(dest("model.bin"));
    Files.createDirectories(file.getParent());
    Files.write(file, vocab);
    Files.writeString(dir.resolve("blocker"), "not a directory");
    env.put("PIERDAT_CONFIG", dir.resolve("blocker/pier.dat").toString());

    assertEquals(1, get("--no-cache", "--sha256", modelSha, origin.uri("/model.bin").toString(), file.toString()));

    assertTrue(stderr().contains("was left as it was"), stderr());
    assertArrayEquals(vocab, Files.readAllBytes(file));
    try (var leftovers = Files.list(file.getParent())) {
      assertEquals(List.of(file), leftovers.toList(), "no temporary or backup files next to DEST");
    }
  }

  @Test
  void withoutCacheSettingsTheHomeCacheIsUsed() throws Exception {
    env.remove("PIERDAT_CACHE");

    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")), this::stderr);

    assertTrue(Files.isRegularFile(dir.resolve("home/.cache/pierdat/sha256/" + modelSha)));
  }

  @Test
  void aCachedFileDamagedOnDiskSinceItWasVerifiedFailsTheLinkOrCopyAndLeavesDestAbsent() throws Exception {
    // --copy: the entry keeps its single name, so the fetcher trusts it and the placement's hash must catch it.
    assertEquals(0, get("--copy", "--sha256", modelSha, origin.uri("/model.bin").toString(), dest("first.bin")),
        this::stderr);
    Path cached = cache.resolve("sha256").resolve(modelSha);
    Files.setPosixFilePermissions(cached, PosixFilePermissions.fromString("rw-------"));
    byte[] damaged = model.clone();
    damaged[1000] ^= 1;
    Files.write(cached, damaged);
    // Damage on disk leaves the mode alone (a writable entry is hashed by the fetcher itself).
    Files.setPosixFilePermissions(cached, PosixFilePermissions.fromString("r--r--r--"));

    assertEquals(1, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("linked.bin")));
    assertTrue(stderr().contains(cached + " hashes to " + Fixture.sha256(damaged) + ", not " + modelSha
        + "; the disk or the cache is corrupt"), stderr());
    assertEquals(1, get("--copy", "--sha256", modelSha, origin.uri("/model.bin").toString(), dest("copied.bin")));
    assertTrue(stderr().contains("the copy of " + cached + " hashes to"), stderr());

    assertEquals(1, links(cached), "the damaged entry was not linked");
    try (var files = Files.list(dir.resolve("data"))) {
      assertEquals(List.of(Path.of(dest("first.bin"))), files.toList(), "neither DEST nor a temporary file");
    }
  }

  @Test
  void destIsAReadOnlyHardLinkToTheCacheEntry() throws Exception {
    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")), this::stderr);

    Path file = Path.of(dest("model.bin"));
    Path cached = cache.resolve("sha256").resolve(modelSha);
    assertTrue(Files.isSameFile(file, cached));
    assertEquals(2, links(file));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(modelSha, Fixture.sha256(Files.readAllBytes(file)));
  }

  @Test
  void copyWritesDestAsASeparateFileWithTheSameBytes() throws Exception {
    assertEquals(0, get("--copy", "--sha256", modelSha, origin.uri("/model.bin").toString(), dest("model.bin")),
        this::stderr);

    Path file = Path.of(dest("model.bin"));
    Path cached = cache.resolve("sha256").resolve(modelSha);
    assertFalse(Files.isSameFile(file, cached));
    assertEquals(1, links(file));
    assertEquals(1, links(cached));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(modelSha, Fixture.sha256(Files.readAllBytes(file)));
  }

  @Test
  void aDestEditedInPlaceIsDetectedAsAModifiedCacheEntryAndFetchedAgain() throws Exception {
    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("first.bin")), this::stderr);
    Path cached = cache.resolve("sha256").resolve(modelSha);
    byte[] edited = editInPlace(Path.of(dest("first.bin")));

    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("second.bin")), this::stderr);

    assertTrue(stderr().contains("cache entry " + cached + " was modified since it was verified (it has 2 links, e.g. "
        + "a DEST placed by pierdat get; its bytes now hash to " + Fixture.sha256(edited)
        + "): deleting it and fetching again"), stderr());
    assertEquals(2, origin.requests().size());
    Path second = Path.of(dest("second.bin"));
    assertEquals(modelSha, Fixture.sha256(Files.readAllBytes(second)));
    assertTrue(Files.isSameFile(second, cached), "the fresh entry is linked");
    assertEquals(2, links(cached));
    assertArrayEquals(edited, Files.readAllBytes(Path.of(dest("first.bin"))), "the edited file is the user's now");
  }

  @Test
  void aDestEditedInPlaceFailsAnOfflineGetAndLeavesDestAbsent() throws Exception {
    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), dest("first.bin")), this::stderr);
    Path cached = cache.resolve("sha256").resolve(modelSha);
    editInPlace(Path.of(dest("first.bin")));

    assertEquals(1, get("-o", "--sha256", modelSha, origin.uri("/model.bin").toString(), dest("second.bin")));

    assertTrue(stderr().contains("cache entry " + cached + " was modified since it was verified"), stderr());
    assertTrue(stderr().contains("(sha256 " + modelSha + ") is not in the cache at " + cache), stderr());
    assertFalse(Files.exists(Path.of(dest("second.bin"))));
    assertFalse(Files.exists(cached));
    assertEquals(1, origin.requests().size());
  }

  @Test
  void theSameArtifactToTheSameDestAgainLeavesOneLinkAndNoTemporaryFiles() throws Exception {
    Path file = Path.of(dest("model.bin"));
    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), file.toString()), this::stderr);

    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), file.toString()), this::stderr);

    assertEquals(2, links(file));
    try (var files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void aLinkedDestIsRolledBackToTheSameLinkWhenPierDatCannotBeWritten() throws Exception {
    Path file = Path.of(dest("model.bin"));
    assertEquals(0, get("--sha256", modelSha, origin.uri("/model.bin").toString(), file.toString()), this::stderr);
    Files.writeString(dir.resolve("blocker"), "not a directory");
    env.put("PIERDAT_CONFIG", dir.resolve("blocker/pier.dat").toString());

    assertEquals(1, get("--sha256", modelSha, origin.uri("/model.bin").toString(), file.toString()));

    assertTrue(stderr().contains("was left as it was"), stderr());
    assertTrue(Files.isSameFile(file, cache.resolve("sha256").resolve(modelSha)));
    assertEquals(2, links(file));
    try (var files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "no temporary or backup files next to DEST");
    }
  }

  /** What a user editing DEST does: make it writable, change a byte in place; returns the new bytes. */
  private static byte[] editInPlace(Path file) throws Exception {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {'!'}), 1000);
    }
    return Files.readAllBytes(file);
  }

  private static int links(Path file) throws Exception {
    return ((Number) Files.getAttribute(file, "unix:nlink")).intValue();
  }

  @Test
  void helpListsTheOptions() {
    assertEquals(0, get("--help"));
    for (String option : List.of("--sha256", "--name", "--peer", "--cache", "--no-cache", "--copy", "--offline", "--retries",
        "--connect-timeout", "--read-timeout")) {
      assertTrue(stdout().contains(option), option);
    }
  }
}
