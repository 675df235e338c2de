package io.github.pierdat.backend.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CidCommandTest {

  @TempDir Path dir;

  @Test
  void printsTheKuboDefaultCidSizeAndTimingPerFile() throws Exception {
    Path file = TestFiles.random(dir, "f", 1_000_000, 9);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = CidCommand.run(new String[] {file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        System.err);
    assertEquals(0, status);
    String[] columns = out.toString(StandardCharsets.UTF_8).strip().split("\t");
    assertEquals(5, columns.length, out.toString(StandardCharsets.UTF_8));
    assertEquals(IpfsCidOracle.cids(file)[0], columns[0]);
    assertEquals("1000000", columns[1]);
    assertEquals(file.toString(), columns[4]);
  }

  @Test
  void unknownOptionOrNoFileIsAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, CidCommand.run(new String[] {"--chunker=rabin"}, System.out, errStream));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --chunker=rabin"));
    assertEquals(2, CidCommand.run(new String[0], System.out, errStream));
    assertEquals(1, CidCommand.run(new String[] {dir.resolve("missing").toString()}, System.out, errStream));
  }
}
