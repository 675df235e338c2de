package io.github.pierdat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JitDirectivesTest {

  @AfterEach
  void clear() throws Exception {
    JitDirectives.invoke("compilerDirectivesClear", null);
  }

  @Test
  void theShippedDirectivesParseAndKeepC2ForHashingOnly() throws Exception {
    String answer = JitDirectives.add();

    assertEquals("3 compiler directives added", answer);
    String stack = JitDirectives.invoke("compilerDirectivesPrint", null).toString();
    assertTrue(stack.contains("io/github/pierdat/shaded/*.*"), stack);
    assertTrue(stack.contains("sun/security/provider/*.*"), stack);
  }

  @Test
  void theTemporaryFileIsDeletedOnceTheDirectivesAreIn(@TempDir Path tmp) throws Exception {
    assertEquals("3 compiler directives added", JitDirectives.add(tmp));

    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(0, left.count());
    }
  }

  @Test
  void onlyABitTorrentGetIsWorthTheDirectives() {
    assertTrue(JitDirectives.worthIt(java.util.List.of("get", "--sha256", "ab", "magnet:?xt=urn:btih:00", "/d")));
    assertTrue(JitDirectives.worthIt(java.util.List.of("get", "torrent+https://h/t.torrent", "/d")));
    assertEquals(false, JitDirectives.worthIt(java.util.List.of("get", "https://h/m.bin", "ipfs://Qm", "/d")));
  }
}
