package io.github.pierdat.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@MojoTest
class FetchMojoTest {

  private static final String POM = "src/test/resources/unit/fetch/pom.xml";

  @TempDir Path temp;
  private Path data;
  private String sha256;
  private Path cache;
  private Path output;

  @BeforeEach
  void createData() throws Exception {
    byte[] bytes = new byte[256 * 1024];
    new Random(42).nextBytes(bytes);
    data = Files.write(temp.resolve("model.bin"), bytes);
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    cache = temp.resolve("cache");
    output = temp.resolve("out");
  }

  private void configure(FetchMojo mojo, ArtifactConfig... artifacts) throws Exception {
    setVariableValueToObject(mojo, "artifacts", List.of(artifacts));
    setVariableValueToObject(mojo, "cacheDirectory", cache.toFile());
    setVariableValueToObject(mojo, "outputDirectory", output.toFile());
  }

  private ArtifactConfig artifact(String path, String sha, String... sources) {
    ArtifactConfig config = new ArtifactConfig();
    config.setPath(path);
    config.setSha256(sha);
    config.setSources(List.of(sources));
    return config;
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void fetchesFileSourceIntoCacheAndWritesPierDat(FetchMojo mojo) throws Exception {
    configure(mojo, artifact("/data/model.bin", sha256, data.toUri().toString()));

    mojo.execute();

    PierDat pierDat = PierDatCodec.read(output.resolve("pier.dat"));
    assertEquals(1, pierDat.artifacts().size());
    ArtifactEntry entry = pierDat.artifacts().get(0);
    assertEquals("/data/model.bin", entry.path());
    assertEquals("model.bin", entry.name());
    assertEquals(sha256, entry.sha256());
    assertEquals(Files.size(data), entry.size());
    assertEquals(List.of(data.toUri().toString()), entry.sources());
    assertEquals("/artifacts/" + sha256, entry.seed("http").orElseThrow().param("path"));
    assertEquals(sha256, sha256Of(cache.resolve("sha256").resolve(sha256)));
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void acceptsUppercaseSha256AndRecordsItLowercase(FetchMojo mojo) throws Exception {
    configure(mojo, artifact("/data/model.bin", sha256.toUpperCase(), data.toUri().toString()));

    mojo.execute();

    assertEquals(sha256, PierDatCodec.read(output.resolve("pier.dat")).artifacts().get(0).sha256());
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void skipWritesNothing(FetchMojo mojo) throws Exception {
    configure(mojo, artifact("/data/model.bin", sha256, data.toUri().toString()));
    setVariableValueToObject(mojo, "skip", true);

    mojo.execute();

    assertFalse(Files.exists(output));
    assertFalse(Files.exists(cache));
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void malformedSha256NamesArtifactFieldAndValue(FetchMojo mojo) throws Exception {
    configure(mojo, artifact("/data/model.bin", "abc123", data.toUri().toString()));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(), "artifact '/data/model.bin'", "<sha256>", "'abc123'", "64 hex digits");
    assertNothingCached();
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void relativePathIsRefused(FetchMojo mojo) throws Exception {
    configure(mojo, artifact("data/model.bin", sha256, data.toUri().toString()));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(), "<path>", "'data/model.bin'", "not absolute");
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void dotDotPathIsRefused(FetchMojo mojo) throws Exception {
    configure(mojo, artifact("/data/../etc/shadow", sha256, data.toUri().toString()));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(), "<path>", "'/data/../etc/shadow'", "not normalized");
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void pathsReservedForPierdatAreRefused(FetchMojo mojo) throws Exception {
    configure(mojo,
        artifact("/opt/pierdat/model.bin", sha256, data.toUri().toString()),
        artifact("/etc/pier.dat", sha256, data.toUri().toString()));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(), "2 problems", "'/opt/pierdat/model.bin'", "reserves for its agent",
        "'/etc/pier.dat'", "reserves for its manifest");
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void duplicateAndOverlappingPathsAreRefused(FetchMojo mojo) throws Exception {
    configure(mojo,
        artifact("/data/model.bin", sha256, data.toUri().toString()),
        artifact("/data/model.bin", sha256, data.toUri().toString()),
        artifact("/data/model.bin/inner", sha256, data.toUri().toString()));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(),
        "artifact '/data/model.bin': <path> '/data/model.bin' is declared twice (also artifact '/data/model.bin');"
            + " each artifact needs its own file path",
        "artifact '/data/model.bin/inner': <path> '/data/model.bin/inner' overlaps (also artifact '/data/model.bin')");
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void missingSha256FailsPrintingTheSha256OfTheFetchedBytesToPin(FetchMojo mojo) throws Exception {
    String source = data.toUri().toString();
    configure(mojo, artifact("/data/model.bin", null, source));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertEquals("artifact model.bin has no <sha256>; the bytes fetched from " + source + " have sha256 " + sha256
        + ": after checking them, add <sha256>" + sha256 + "</sha256>", e.getMessage());
    assertFalse(Files.exists(output.resolve("pier.dat")));
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void allSourcesFailingListsEachSourceWithItsReason(FetchMojo mojo) throws Exception {
    Path missing = temp.resolve("missing.bin");
    Path directory = Files.createDirectory(temp.resolve("a-directory"));
    configure(mojo, artifact("/data/model.bin", sha256, missing.toUri().toString(), directory.toUri().toString()));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(),
        "artifact model.bin (sha256 " + sha256 + ") could not be fetched from any of its 2 sources:",
        "  - " + missing.toUri() + ": no such file: " + missing,
        "  - " + directory.toUri() + ": " + directory + " is a directory; expected a file");
    assertNothingCached();
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void sourceWithoutSchemeOrNotAUriNamesTheValueAndTheExpectedForm(FetchMojo mojo) throws Exception {
    configure(mojo, artifact("/data/model.bin", sha256, "/srv/model.bin", "http://host/a b"));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(), "2 problems",
        "artifact '/data/model.bin': <source> '/srv/model.bin' has no scheme; expected one of ",
        "(e.g. https://host/file or file:/abs/path)",
        "artifact '/data/model.bin': <source> 'http://host/a b' is not a valid URI: Illegal character in path at "
            + "index 13; expected e.g. https://host/file or file:/abs/path");
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void malformedAndUnsupportedIpfsCidsFailBeforeAnyFetchNamingEachSource(FetchMojo mojo) throws Exception {
    String malformed = "ipfs://bafyNOTACID";
    String dagCbor = "ipfs://bafyrei" + "a".repeat(52); // CIDv1, dag-cbor
    String sha512 = "ipfs://bafybgq" + "a".repeat(103); // CIDv1, dag-pb, sha2-512
    // The first source would deliver: the bad ones are refused anyway, so pier.dat never records them.
    configure(mojo, artifact("/data/model.bin", sha256, data.toUri().toString(), malformed, dagCbor, sha512));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(),
        "artifact '/data/model.bin': source " + malformed + ": invalid CID \"bafyNOTACID\"",
        "artifact '/data/model.bin': source " + dagCbor + ": unsupported CID",
        "codec dag-cbor (0x71) is not supported; supported: CIDv0 (Qm…) and CIDv1 with codec dag-pb (0x70) or raw"
            + " (0x55) and hash sha2-256 (0x12)",
        "artifact '/data/model.bin': source " + sha512 + ": unsupported CID", "hash sha2-512 (0x13) is not supported");
    assertFalse(Files.exists(cache.resolve("sha256").resolve(sha256)), "nothing was fetched");
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void unknownSchemeListsSupportedSchemes(FetchMojo mojo) throws Exception {
    configure(mojo, artifact("/data/model.bin", sha256, "gopher://example.org/model.bin"));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(), "'gopher://example.org/model.bin'", "unsupported scheme 'gopher'",
        "file", "http", "https");
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void missingSourcesAndNoArtifactsAreExplained(FetchMojo mojo) throws Exception {
    configure(mojo, artifact("/data/model.bin", sha256));
    assertContains(assertThrows(MojoFailureException.class, mojo::execute).getMessage(), "no <sources>");

    setVariableValueToObject(mojo, "artifacts", List.of());
    assertContains(assertThrows(MojoFailureException.class, mojo::execute).getMessage(), "no <artifacts>");
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void credentialsInSourcesNeverReachMessagesOrPierDat(FetchMojo mojo) throws Exception {
    configure(mojo, artifact("/data/model.bin", sha256, "gopher://alice:s3cret@example.org/model.bin"));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    assertFalse(e.getMessage().contains("alice"), e.getMessage());
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void mismatchNamesExpectedActualAndSource(FetchMojo mojo) throws Exception {
    String wrong = "0".repeat(64);
    configure(mojo, artifact("/data/model.bin", wrong, data.toUri().toString()));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(), "model.bin", wrong, sha256, data.toUri().toString());
    assertNothingCached();
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void unknownServerIdIsExplained(FetchMojo mojo) throws Exception {
    ArtifactConfig config = artifact("/data/model.bin", sha256, data.toUri().toString());
    config.setServerId("nowhere");
    configure(mojo, config);

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(), "<serverId> 'nowhere'", "settings.xml");
  }

  @Test
  @InjectMojo(goal = "fetch", pom = POM)
  void nonPositiveTimeoutIsRefused(FetchMojo mojo) throws Exception {
    configure(mojo, artifact("/data/model.bin", sha256, data.toUri().toString()));
    setVariableValueToObject(mojo, "readTimeout", 0);

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertContains(e.getMessage(), "<readTimeout>", "pierdat.readTimeout", "is 0");
  }

  private void assertNothingCached() throws Exception {
    Path verified = cache.resolve("sha256");
    if (Files.isDirectory(verified)) {
      try (Stream<Path> files = Files.list(verified)) {
        List<Path> found = files.toList();
        assertTrue(found.stream().allMatch(f -> f.getFileName().toString().equals(sha256)),
            "only correctly named verified files may be cached: " + found);
      }
    }
  }

  private static String sha256Of(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), () -> "expected '" + part + "' in: " + text);
    }
  }
}
