package io.github.pierdat.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.script.SeedCommands;
import io.github.pierdat.json.JsonException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PierDatCodecTest {

  /** Every kind of character a string may hold: escaped ones, raw non-ASCII, a surrogate pair. */
  private static final String ODD = "q\"b\\s/ nl\n tab\t cr\r bs\b ff\f nul\u0000 us\u001f del\u007f é \u2028"
      + " \u2603 \ud83d\ude00 <>&'";
  private static final ArtifactEntry SECOND =
      new ArtifactEntry(null, "/data/sub/n.bin", 9_000_000_000L, "cd".repeat(32), List.of(), List.of());

  @TempDir Path dir;

  // The golden files were written by the codec of earlier releases (Jackson's pretty printer): images
  // built from the same declarations must keep their digests.

  @Test
  void writesTheBytesEarlierReleasesWroteForEveryField() throws IOException {
    assertArrayEquals(golden("full.pier.dat"), PierDatCodec.toBytes(full()));
    assertArrayEquals(golden("minimal.pier.dat"), PierDatCodec.toBytes(PierDat.of(AppCommand.none(), List.of())));
    assertArrayEquals(golden("noadvertise.pier.dat"), PierDatCodec.toBytes(noAdvertise()));
  }

  @Test
  void readsFilesEarlierReleasesWroteIntoTheSameModel() throws Exception {
    assertEquals(full(), PierDatCodec.fromBytes(golden("full.pier.dat"), "full"));
    assertEquals(noAdvertise(), PierDatCodec.fromBytes(golden("noadvertise.pier.dat"), "noadvertise"));
    assertEquals(PierDat.of(AppCommand.none(), List.of()), PierDatCodec.fromBytes(golden("minimal.pier.dat"), "m"));
  }

  @Test
  void writesAtomicallyAFileEveryoneCanReadAndReadsItBack() throws Exception {
    Path file = dir.resolve("etc/pier.dat");
    PierDatCodec.write(full(), file);
    assertEquals(full(), PierDatCodec.read(file));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (var left = Files.list(file.getParent())) {
      assertEquals(List.of(file), left.toList(), "no temp file left");
    }
  }

  @Test
  void ignoresFieldsItDoesNotKnowAndDefaultsTheOnesLeftOut() throws Exception {
    PierDat read = read("{\"version\": 1, \"future\": {\"x\": [1]}, \"settings\": {\"log\": \"info\", \"new\": 2},"
        + " \"artifacts\": [{\"path\": \"/d/a\", \"size\": 3, \"sha256\": \"" + "ab".repeat(32) + "\", \"extra\": null}]}");
    assertEquals(new AgentSettings(7780, 6881, null, null, 0, null, null, null, "info"), read.settings());
    assertEquals(AppCommand.none(), read.app());
    assertEquals(List.of(new ArtifactEntry("a", "/d/a", 3, "ab".repeat(32), List.of(), List.of())), read.artifacts());
  }

  @Test
  void namesTheFieldItsValueAndWhatWasExpected() {
    String sha = "\"sha256\": \"" + "ab".repeat(32) + "\"";
    Map<String, String> cases = Map.of(
        "{\"version\": 1, \"artifacts\": [{\"path\": \"/a\", \"size\": 1, " + sha + "}, {\"path\": \"/b\", \"size\": 1,"
            + " \"sha256\": \"ABC\"}]}",
        "artifacts[1].sha256 is \"ABC\"; expected 64 lowercase hex digits (a sha256)",
        "{\"version\": 1, \"artifacts\": [{\"path\": \"/a\", \"size\": -1, " + sha + "}]}",
        "artifacts[0].size is -1; expected an integer from 0 to 9223372036854775807",
        "{\"version\": 1, \"artifacts\": [{\"size\": 1, " + sha + "}]}",
        "artifacts[0].path is missing; expected a string",
        "{\"version\": 1, \"artifacts\": [{\"path\": \"/a\", \"size\": 1, " + sha
            + ", \"seeds\": [{\"backend\": \"http\", \"params\": {\"port\": 80}}]}]}",
        "artifacts[0].seeds[0].params.port is 80; expected a string",
        "{\"version\": 1, \"settings\": {\"httpPort\": 70000}}",
        "settings.httpPort is 70000; expected an integer from 0 to 65535",
        "{\"version\": 1, \"settings\": {\"peers\": \"a:1\"}}",
        "settings.peers is \"a:1\"; expected an array of strings",
        "{\"version\": 1, \"app\": {\"entrypoint\": [\"/bin/sh\", null]}}",
        "app.entrypoint[1] is null; expected a string",
        "{\"version\": 1, \"artifacts\": {}}",
        "artifacts is an object; expected an array of objects");
    cases.forEach((json, expected) -> {
      PierDatException e = assertThrows(PierDatException.class, () -> read(json), json);
      assertEquals("test.dat is malformed: " + expected, e.getMessage());
    });
  }

  @Test
  void refusesOtherVersionsAndDocumentsThatAreNoPierDat() {
    assertEquals("test.dat has version 2, but this agent reads version 1 only; use a pierdat agent at least as new"
        + " as the one that built the image", assertThrows(PierDatException.class, () -> read("{\"version\": 2}"))
        .getMessage());
    for (String json : List.of("{}", "{\"version\": \"1\"}", "{\"version\": 1.0}", "{\"version\": 4294967297}")) {
      assertEquals("test.dat has no numeric \"version\"; expected 1",
          assertThrows(PierDatException.class, () -> read(json)).getMessage(), json);
    }
    assertEquals("test.dat is not a JSON object; expected a pier.dat written by pierdat",
        assertThrows(PierDatException.class, () -> read("[]")).getMessage());
    assertEquals("test.dat is not valid JSON: line 1, column 16: duplicate member name \"version\"; expected every"
        + " name of an object once", assertThrows(PierDatException.class, () -> read("{\"version\": 1, \"version\": 1}"))
        .getMessage());
    assertTrue(assertThrows(PierDatException.class, () -> read("{\"version\": 1} trailing")).getMessage()
        .startsWith("test.dat is not valid JSON: line 1, column 16: expected the end of the document"));
    assertTrue(assertThrows(PierDatException.class, () -> PierDatCodec.read(dir.resolve("none"))).getMessage()
        .contains("set PIERDAT_CONFIG"));
  }

  @Test
  void seedEntriesAreOneCompactLineAndReadBack() {
    SeedEntry seed = new SeedEntry("bittorrent", Map.of("infohash", "ab", "magnet", "magnet:?xt=urn:btih:ab&dn=x"));
    String json = PierDatCodec.toJson(seed);
    assertEquals("{\"backend\":\"bittorrent\",\"params\":{\"infohash\":\"ab\",\"magnet\":\"magnet:?xt=urn:btih:ab&dn=x\"}}",
        json);
    assertEquals(seed, PierDatCodec.seedEntry(json));
    assertEquals("backend is missing; expected a string",
        assertThrows(JsonException.class, () -> PierDatCodec.seedEntry("{\"params\":{}}")).getMessage());
  }

  private static PierDat read(String json) throws PierDatException {
    return PierDatCodec.fromBytes(json.getBytes(StandardCharsets.UTF_8), "test.dat");
  }

  private static PierDat full() {
    AgentSettings settings = new AgentSettings(8081, 6882, "::", "peer.example:7780", 1048576,
        List.of("a:1", "dns:b:2"), List.of("http", "bittorrent"), List.of("udp://t.example:6969/announce"), "debug");
    AppCommand app = new AppCommand(List.of("/bin/sh", "-c", ODD), List.of("x"), "/srv");
    ArtifactEntry first = new ArtifactEntry("m", "/data/m.bin", 12, "ab".repeat(32), List.of("https://x/m", "file:/y"),
        List.of(new SeedEntry("http", Map.of("path", "/artifacts/" + "ab".repeat(32))),
            new SeedEntry("script", SeedCommands.toParams(List.of(List.of("aria2c", ODD), List.of("x")))),
            new SeedEntry("empty", Map.of())));
    return new PierDat(1, settings, app, List.of(first, SECOND));
  }

  private static PierDat noAdvertise() {
    return new PierDat(1, new AgentSettings(1, 2, null, null, 0, null, null, null, null),
        new AppCommand(List.of("a"), List.of(), null), List.of(SECOND));
  }

  private static byte[] golden(String name) throws IOException {
    try (InputStream in = PierDatCodecTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
