package io.github.pierdat.backend.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.ipfs.car.CarReader;
import io.github.pierdat.backend.ipfs.cid.Block;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.gateway.GatewayResponse;
import io.github.pierdat.backend.ipfs.gateway.TrustlessGateway;
import io.github.pierdat.backend.ipfs.unixfs.ImportedBlock;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsFileAssembler;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustlessGatewayTest {

  @TempDir static Path shared;
  @TempDir Path dir;
  private static Path file;
  private static Cid root;
  private static List<ImportedBlock> blocks;
  private static TrustlessGateway gateway;

  @BeforeAll
  static void twoLevelDag() throws IOException {
    // 200 chunks: a root over two interior nodes (174 + 26 leaves). Read-only in every test.
    file = TestFiles.random(shared, "file", 200L * UnixFsImporter.DEFAULT_CHUNK_SIZE - 5, 21);
    blocks = new ArrayList<>();
    root = UnixFsImporter.kuboDefaults().importFile(file, blocks::add);
    gateway = TrustlessGateway.builder().file(root, file).build();
  }

  @Test
  void rawRequestReturnsTheRootOrAnyBlockOfTheDagMatchingItsCid() throws IOException {
    assertEquals(203, blocks.size());
    for (ImportedBlock block : List.of(blocks.get(0), blocks.get(150), blocks.get(174), blocks.get(202))) {
      GatewayResponse r = get("/ipfs/" + block.cid() + "?format=raw", null);
      assertEquals(200, r.status());
      assertEquals(TrustlessGateway.RAW, r.contentType());
      byte[] body = body(r);
      assertEquals(r.contentLength(), body.length);
      assertTrue(block.cid().multihash().matches(body), "block " + block.cid() + " served intact");
    }
    assertEquals(root, blocks.get(202).cid());
  }

  @Test
  void acceptHeaderSelectsTheFormatWhenNoFormatParameterIsGiven() throws IOException {
    GatewayResponse raw = get("/ipfs/" + root, "text/html, application/vnd.ipld.raw;q=0.9");
    assertEquals(TrustlessGateway.RAW, raw.contentType());
    GatewayResponse car = get("/ipfs/" + root, "application/vnd.ipld.car");
    assertTrue(car.contentType().startsWith("application/vnd.ipld.car; version=1; order=dfs"), car.contentType());
  }

  @Test
  void carRequestStreamsTheWholeDagDepthFirstWithTheRootInTheHeader() throws IOException {
    GatewayResponse r = get("/ipfs/" + root + "?format=car", null);
    assertEquals(200, r.status());
    byte[] car = body(r);
    assertEquals(r.contentLength(), car.length);
    Path out = dir.resolve("out");
    try (CarReader reader = new CarReader(new ByteArrayInputStream(car), "gateway");
        FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      assertEquals(List.of(root), reader.roots());
      // Strict: each block asked for must be the very next one in the stream.
      UnixFsFileAssembler assembler = new UnixFsFileAssembler(new io.github.pierdat.backend.ipfs.unixfs.BlockSource() {
        @Override
        public Block get(Cid cid) throws IOException {
          Block next = reader.next();
          assertEquals(cid, next.cid(), "depth-first order");
          return next;
        }

        @Override
        public boolean sequential() {
          return true;
        }
      });
      assertEquals(Files.size(file), assembler.assemble(root, channel, 0, size -> { }));
      assertEquals(null, reader.next());
    }
    assertEquals(TestFiles.sha256(file), TestFiles.sha256(out));
  }

  @Test
  void dagScopeBlockReturnsOnlyTheRequestedBlock() throws IOException {
    byte[] car = body(get("/ipfs/" + root + "?format=car&dag-scope=block", null));
    try (CarReader reader = new CarReader(new ByteArrayInputStream(car), "gateway")) {
      assertEquals(root, reader.next().cid());
      assertEquals(null, reader.next());
    }
  }

  @Test
  void entityBytesLimitsTheCarToTheBlocksCoveringTheRange() throws IOException {
    long chunk = UnixFsImporter.DEFAULT_CHUNK_SIZE;
    // Bytes of chunk 180 only: root, the second interior node, leaf 180.
    String range = (180 * chunk + 10) + ":" + (180 * chunk + 20);
    byte[] car = body(get("/ipfs/" + root + "?format=car&entity-bytes=" + range, null));
    List<Cid> cids = new ArrayList<>();
    try (CarReader reader = new CarReader(new ByteArrayInputStream(car), "gateway")) {
      for (Block b = reader.next(); b != null; b = reader.next()) {
        cids.add(b.cid());
      }
    }
    assertEquals(List.of(root, blocks.get(201).cid(), blocks.get(181).cid()), cids);
  }

  @Test
  void headRequestHasHeadersAndNoBody() throws IOException {
    GatewayResponse r = gateway.respond("HEAD", URI.create("/ipfs/" + root + "?format=raw"), null);
    assertEquals(200, r.status());
    assertFalse(r.hasBody());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    r.writeBody(out);
    assertEquals(0, out.size());
    assertTrue(r.contentLength() > 0);
  }

  @Test
  void blockNotInAnyServedFileIs404() throws IOException {
    String other = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";
    GatewayResponse r = get("/ipfs/" + other + "?format=raw", null);
    assertEquals(404, r.status());
    assertTrue(r.bodyAsString().contains(other));
  }

  @Test
  void malformedCidIs400NamingIt() throws IOException {
    GatewayResponse r = get("/ipfs/Qm0notacid?format=raw", null);
    assertEquals(400, r.status());
    assertTrue(r.bodyAsString().contains("Qm0notacid"), r.bodyAsString());
  }

  @Test
  void filesystemPathsInRequestsNeverReachTheDisk() throws IOException {
    assertEquals(404, get("/etc/passwd?format=raw", null).status());
    assertEquals(400, get("/ipfs/../../etc/passwd?format=raw", null).status());
    GatewayResponse inside = get("/ipfs/" + root + "/etc/passwd?format=raw", null);
    assertEquals(404, inside.status());
    assertFalse(inside.bodyAsString().contains(shared.toString()), "no local path in responses");
  }

  @Test
  void requestWithoutAVerifiableFormatIs406AndOtherMethodsAre405() throws IOException {
    GatewayResponse plain = get("/ipfs/" + root, "text/html");
    assertEquals(406, plain.status());
    assertTrue(plain.bodyAsString().contains("format=raw"));
    assertEquals(400, get("/ipfs/" + root + "?format=tar", null).status());
    GatewayResponse post = gateway.respond("POST", URI.create("/ipfs/" + root + "?format=raw"), null);
    assertEquals(405, post.status());
    assertEquals("GET, HEAD", post.headers().get("Allow"));
  }

  @Test
  void fileChangedAfterIndexingIsNeverServedAsTheOldBlock() throws IOException {
    Path copy = Files.copy(file, dir.resolve("copy"));
    TrustlessGateway own = TrustlessGateway.builder().file(root, copy).build();
    ImportedBlock leaf = blocks.get(3);
    URI uri = URI.create("/ipfs/" + leaf.cid() + "?format=raw");
    assertEquals(200, own.respond("GET", uri, null).status()); // indexes the file
    try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), leaf.offset() + 10);
    }
    GatewayResponse r = own.respond("GET", uri, null);
    IOException e = assertThrows(IOException.class, () -> r.writeBody(new ByteArrayOutputStream()));
    assertTrue(e.getMessage().contains(leaf.cid().toString()), e.getMessage());
  }

  @Test
  void fileThatDoesNotHashToItsCidIsNotServed() throws IOException {
    Path other = TestFiles.random(dir, "other", 1000, 5);
    TrustlessGateway wrong = TrustlessGateway.builder().file(root, other).build();
    GatewayResponse r = wrong.respond("GET", URI.create("/ipfs/" + root + "?format=raw"), null);
    assertEquals(500, r.status());
    assertFalse(r.bodyAsString().contains(dir.toString()), "no local path in responses");
    assertThrows(IOException.class, wrong::prepare);
  }

  @Test
  void cidV1OfAServedCidV0FileIsServedToo() throws IOException {
    GatewayResponse r = get("/ipfs/" + root.toV1() + "?format=car", null);
    assertEquals(200, r.status());
    try (CarReader reader = new CarReader(new ByteArrayInputStream(body(r)), "gateway")) {
      assertEquals(List.of(root.toV1()), reader.roots());
    }
  }

  @Test
  void emptyFileIsServedAsItsSingleBlock() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty"));
    Cid cid = UnixFsImporter.kuboDefaults().importFile(empty);
    TrustlessGateway g = TrustlessGateway.builder().file(cid, empty).build();
    GatewayResponse r = g.respond("GET", URI.create("/ipfs/" + cid + "?format=raw"), null);
    byte[] body = body(r);
    assertArrayEquals(UnixFsImporter.fileLeaf(new byte[0], 0, 0), body);
    assertTrue(cid.multihash().matches(body));
  }

  private GatewayResponse get(String path, String accept) {
    return gateway.respond("GET", URI.create(path), accept);
  }

  private static byte[] body(GatewayResponse r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    r.writeBody(Channels.newOutputStream(Channels.newChannel(out)));
    return out.toByteArray();
  }
}
