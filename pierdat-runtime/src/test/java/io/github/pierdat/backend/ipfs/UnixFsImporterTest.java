package io.github.pierdat.backend.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.Multicodecs;
import io.github.pierdat.backend.ipfs.cid.Multihash;
import io.github.pierdat.backend.ipfs.unixfs.ImportedBlock;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnixFsImporterTest {

  private static final int CHUNK = UnixFsImporter.DEFAULT_CHUNK_SIZE;
  private static final int LINKS = UnixFsImporter.DEFAULT_MAX_LINKS;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {0, 1, 1000, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 77, 1_234_567, 5_000_001,
      (long) LINKS * CHUNK, (long) LINKS * CHUNK + 1})
  void cidOfFileEqualsIpfsCidOracle(long size) throws Exception {
    Path file = TestFiles.random(dir, "data-" + size, size, size * 31 + 7);
    String[] expected = IpfsCidOracle.cids(file);

    Cid v0 = UnixFsImporter.kuboDefaults().importFile(file);

    assertEquals(expected[0], v0.toString(), "CIDv0 of " + size + " bytes");
    assertEquals(expected[1], v0.toV1().toString(), "the same root as CIDv1, " + size + " bytes");
  }

  @Test
  void emptyFileHasTheWellKnownEmptyFileCid() throws IOException {
    Path file = Files.createFile(dir.resolve("empty"));
    assertEquals("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
        UnixFsImporter.kuboDefaults().importFile(file).toString());
    assertEquals("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
        UnixFsImporter.builder().cidVersion(1).rawLeaves(true).build().importFile(file).toString());
  }

  @Test
  void rawLeavesOneChunkFileIsTheRawBlockOfItsBytes() throws IOException {
    Path file = TestFiles.random(dir, "small", 5000, 1);
    Cid cid = UnixFsImporter.builder().cidVersion(1).rawLeaves(true).build().importFile(file);
    assertEquals(Cid.v1(Multicodecs.RAW, Multihash.of(Files.readAllBytes(file))), cid);
  }

  @Test
  void streamingInOddPiecesGivesTheSameCidAsTheWholeFile() throws IOException {
    Path file = TestFiles.random(dir, "odd", 3 * CHUNK + 12345, 2);
    byte[] bytes = Files.readAllBytes(file);
    UnixFsImporter.Session session = UnixFsImporter.kuboDefaults().newSession(null);
    int pos = 0;
    int step = 1;
    while (pos < bytes.length) {
      int n = Math.min(step, bytes.length - pos);
      session.update(bytes, pos, n);
      pos += n;
      step = step * 3 + 1;
    }
    assertEquals(UnixFsImporter.kuboDefaults().importFile(file), session.finish());
    assertEquals(bytes.length, session.size());
  }

  @Test
  void listenerSeesEveryLeafInFileOrderAndInteriorNodesAfterTheirChildren() throws IOException {
    // A small chunk size and fan-out give a three-level tree from a small file.
    UnixFsImporter importer = UnixFsImporter.builder().chunkSize(1000).maxLinks(3).build();
    Path file = TestFiles.random(dir, "tree", 10_500, 3);
    List<ImportedBlock> blocks = new ArrayList<>();
    Cid root = importer.importFile(file, blocks::add);

    List<ImportedBlock> leaves = blocks.stream().filter(b -> b.kind() == ImportedBlock.Kind.FILE_LEAF).toList();
    assertEquals(11, leaves.size());
    for (int i = 0; i < leaves.size(); i++) {
      assertEquals(i * 1000L, leaves.get(i).offset());
      assertEquals(i < 10 ? 1000 : 500, leaves.get(i).length());
      assertNull(leaves.get(i).node());
    }
    ImportedBlock last = blocks.get(blocks.size() - 1);
    assertEquals(root, last.cid());
    assertEquals(ImportedBlock.Kind.INTERIOR, last.kind());
    assertEquals(10_500, last.length());
    assertTrue(last.cid().multihash().matches(last.node()), "interior node bytes hash to its CID");
    // 11 leaves, 3 per node: 4 nodes of depth 1, 2 of depth 2, the root: 7 interior nodes.
    assertEquals(7, blocks.size() - leaves.size());
  }
}
