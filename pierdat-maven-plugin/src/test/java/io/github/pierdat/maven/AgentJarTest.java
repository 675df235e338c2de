package io.github.pierdat.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentJarTest {

  @TempDir
  Path cache;

  @Test
  void extractsTheCarriedJarWithItsSha256Once() throws Exception {
    byte[] carried;
    try (InputStream in = AgentJar.class.getResourceAsStream(AgentJar.RESOURCE)) {
      assertNotNull(in, "the plugin carries the agent jar");
      carried = in.readAllBytes();
    }
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(carried));

    AgentJar.Extracted first = AgentJar.extract(cache);
    FileTime written = Files.getLastModifiedTime(first.file());
    AgentJar.Extracted second = AgentJar.extract(cache);

    assertEquals(expected, first.sha256());
    assertEquals(expected, HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(first.file()))));
    assertEquals(first, second);
    assertEquals(written, Files.getLastModifiedTime(second.file()), "the second build reuses the extracted copy");
  }

  @Test
  void aTruncatedCopyInTheCacheIsExtractedAgain() throws Exception {
    AgentJar.Extracted first = AgentJar.extract(cache);
    byte[] whole = Files.readAllBytes(first.file());
    Files.write(first.file(), java.util.Arrays.copyOf(whole, whole.length / 2));

    AgentJar.Extracted again = AgentJar.extract(cache);

    assertEquals(first.sha256(), again.sha256());
    assertEquals(first.sha256(), HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(again.file()))));
  }
}
