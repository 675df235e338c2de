package io.github.pierdat.backend.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.ipfs.car.CarFormatException;
import io.github.pierdat.backend.ipfs.car.CarReader;
import io.github.pierdat.backend.ipfs.car.CarWriter;
import io.github.pierdat.backend.ipfs.cid.Block;
import io.github.pierdat.backend.ipfs.cid.BlockMismatchException;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarReaderTest {

  @TempDir Path dir;
  private Dag dag;
  private byte[] car;

  @BeforeEach
  void threeLeafFile() throws IOException {
    dag = Dag.of(TestFiles.random(dir, "file", 700_000, 11));
    car = dag.car();
  }

  @Test
  void carReadsBackItsRootAndEveryBlockVerifiedInDepthFirstOrder() throws IOException {
    try (CarReader reader = new CarReader(new ByteArrayInputStream(car), "test")) {
      assertEquals(List.of(dag.root()), reader.roots());
      Block root = reader.next();
      assertEquals(dag.root(), root.cid());
      assertArrayEquals(dag.rootNode(), root.bytes());
      for (int i = 0; i < 3; i++) {
        Block leaf = reader.next();
        assertEquals(dag.leaves().get(i).cid(), leaf.cid());
        assertArrayEquals(dag.leafBlock(i), leaf.bytes());
      }
      assertNull(reader.next());
      assertEquals(4, reader.blocksRead());
    }
  }

  @Test
  void carFromAStreamThatHandsOutOneByteAtATimeGivesTheSameBlocks() throws IOException {
    try (CarReader reader = new CarReader(new ByteAtATime(car), "test")) {
      assertEquals(List.of(dag.root()), reader.roots());
      assertArrayEquals(dag.rootNode(), reader.next().bytes());
      for (int i = 0; i < 3; i++) {
        Block leaf = reader.next();
        assertEquals(dag.leaves().get(i).cid(), leaf.cid());
        assertArrayEquals(dag.leafBlock(i), leaf.bytes());
      }
      assertNull(reader.next());
    }
  }

  /** A stream that returns at most one byte per read, as a slow network may. */
  private static final class ByteAtATime extends java.io.FilterInputStream {
    ByteAtATime(byte[] bytes) {
      super(new ByteArrayInputStream(bytes));
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1));
    }
  }

  @Test
  void corruptedBlockIsRejectedNamingTheBlock() throws IOException {
    byte[] corrupt = car.clone();
    int inLeaf1 = (int) (dag.carSectionStart(1) + dag.carSectionLength(1) / 2);
    corrupt[inLeaf1] ^= 0x40;
    try (CarReader reader = new CarReader(new ByteArrayInputStream(corrupt), "gateway X")) {
      reader.next();
      reader.next();
      BlockMismatchException e = assertThrows(BlockMismatchException.class, reader::next);
      Cid leaf1 = dag.leaves().get(1).cid();
      assertEquals(leaf1, e.cid());
      assertTrue(e.getMessage().contains(leaf1.toString()) && e.getMessage().contains("gateway X"), e.getMessage());
    }
  }

  @Test
  void recycledArrayIsReusedForTheNextBlockOfItsLengthWhichIsStillVerified() throws IOException {
    // Leaves 0 and 1 are full 256 KiB chunks: the same block length.
    try (CarReader reader = new CarReader(new ByteArrayInputStream(car), "test")) {
      reader.next();
      Block leaf0 = reader.next();
      byte[] array = leaf0.bytes();
      reader.recycle(leaf0);
      Block leaf1 = reader.next();
      assertSame(array, leaf1.bytes());
      assertEquals(dag.leaves().get(1).cid(), leaf1.cid());
      assertArrayEquals(dag.leafBlock(1), leaf1.bytes());
      reader.recycle(leaf1);
      // The last leaf is shorter: a new array of its length.
      Block leaf2 = reader.next();
      assertArrayEquals(dag.leafBlock(2), leaf2.bytes());
      assertNull(reader.next());
    }
  }

  @Test
  void corruptedBlockReadIntoARecycledArrayIsRejected() throws IOException {
    byte[] corrupt = car.clone();
    corrupt[(int) (dag.carSectionStart(1) + dag.carSectionLength(1) / 2)] ^= 0x40;
    try (CarReader reader = new CarReader(new ByteArrayInputStream(corrupt), "gateway X")) {
      reader.next();
      reader.recycle(reader.next());
      BlockMismatchException e = assertThrows(BlockMismatchException.class, reader::next);
      assertEquals(dag.leaves().get(1).cid(), e.cid());
    }
  }

  @Test
  void carCutInsideASectionIsRejected() throws IOException {
    byte[] cut = Arrays.copyOf(car, (int) (dag.carSectionStart(2) + 100));
    try (CarReader reader = new CarReader(new ByteArrayInputStream(cut), "test")) {
      reader.next();
      reader.next();
      reader.next();
      CarFormatException e = assertThrows(CarFormatException.class, reader::next);
      assertTrue(e.getMessage().contains("ends inside section 4"), e.getMessage());
    }
  }

  @Test
  void sectionLargerThanTheLimitIsRefusedBeforeReadingIt() throws IOException {
    try (CarReader reader = new CarReader(new ByteArrayInputStream(car), "test", 1000)) {
      reader.next(); // the root node is small
      CarFormatException e = assertThrows(CarFormatException.class, reader::next);
      assertTrue(e.getMessage().contains("the limit is 1000"), e.getMessage());
    }
  }

  @Test
  void carV2HeaderIsRefused() {
    // {"version": 2} — the CARv2 pragma.
    byte[] pragma = {(byte) 0xa1, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x02};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Varint.encode(pragma.length));
    out.writeBytes(pragma);
    CarFormatException e = assertThrows(CarFormatException.class,
        () -> new CarReader(new ByteArrayInputStream(out.toByteArray()), "test"));
    assertTrue(e.getMessage().contains("only CARv1"), e.getMessage());
  }

  @Test
  void headerWrittenByCarWriterNamesEveryRoot() throws IOException {
    Cid a = dag.root();
    Cid b = dag.leaves().get(0).cid().toV1();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new CarWriter(out, List.of(a, b));
    assertEquals(CarWriter.headerLength(List.of(a, b)), out.size());
    try (CarReader reader = new CarReader(new ByteArrayInputStream(out.toByteArray()), "test")) {
      assertEquals(List.of(a, b), reader.roots());
      assertNull(reader.next());
    }
  }
}
