package io.github.pierdat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.manifest.PierDatException;
import io.github.pierdat.manifest.SeedEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PierDatHeadTest {

  @TempDir Path dir;

  @Test
  void headOfAPierDatWrittenByTheCodecMatchesTheModel() throws Exception {
    AppCommand app = new AppCommand(List.of("/bin/sh", "-c", "echo \"quoted\" \\ é \u2603"), List.of("x"), "/srv");
    AgentSettings settings = new AgentSettings(8081, 6881, null, null, 0, null, null, null, "info");
    PierDat pierDat = new PierDat(1, settings, app, List.of(new ArtifactEntry("m", "/data/m.bin", 12, "ab".repeat(32),
        List.of("https://x/m"), List.of(new SeedEntry("http", Map.of("path", "/artifacts/" + "ab".repeat(32)))))));
    Path file = dir.resolve("pier.dat");
    PierDatCodec.write(pierDat, file);
    PierDatHead head = PierDatHead.read(file);
    assertEquals(app, head.app());
    assertEquals("info", head.log());
    assertEquals(8081, head.httpPort());
  }

  @Test
  void refusesUnknownVersionsAndWrongTypes() throws Exception {
    Path file = dir.resolve("pier.dat");
    Files.writeString(file, "{\"version\": 2}");
    assertTrue(assertThrows(PierDatException.class, () -> PierDatHead.read(file)).getMessage()
        .contains("has version 2, but this agent reads version 1 only"));
    Files.writeString(file, "{\"version\": 1, \"app\": {\"entrypoint\": \"/bin/sh\"}}");
    assertTrue(assertThrows(PierDatException.class, () -> PierDatHead.read(file)).getMessage()
        .contains("\"app.entrypoint\" must be a list of strings"));
    Files.writeString(file, "[]");
    assertTrue(assertThrows(PierDatException.class, () -> PierDatHead.read(file)).getMessage()
        .contains("is not a JSON object"));
    assertTrue(assertThrows(PierDatException.class, () -> PierDatHead.read(dir.resolve("none"))).getMessage()
        .contains("set PIERDAT_CONFIG"));
  }
}
