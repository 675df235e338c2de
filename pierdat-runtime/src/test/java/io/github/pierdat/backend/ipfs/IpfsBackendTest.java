package io.github.pierdat.backend.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.ipfs.car.CarWriter;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.Multihash;
import io.github.pierdat.backend.ipfs.dagpb.PbLink;
import io.github.pierdat.backend.ipfs.dagpb.PbNode;
import io.github.pierdat.backend.ipfs.gateway.TrustlessGateway;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsData;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsType;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.testing.FileTarget;
import io.github.pierdat.testing.RecordingLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpfsBackendTest {

  @TempDir Path dir;
  private Dag dag;
  private TrustlessGateway gateway;
  private final IpfsBackend backend = new IpfsBackend();
  private final RecordingLog log = new RecordingLog();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void threeLeafFile() throws IOException {
    dag = Dag.of(TestFiles.random(dir, "data.bin", 700_000, 42));
    gateway = TrustlessGateway.builder().file(dag.root(), dag.file()).build();
  }

  @Test
  void fetchThroughCarGatewayWritesTheFileByteForByte() throws Exception {
    try (TestHttpServer gw = recording(TestHttpServer.gateway(gateway))) {
      FileTarget target = fetch(context(IpfsOptions.GATEWAYS, gw.base().toString()));
      assertEquals(TestFiles.sha256(dag.file()), TestFiles.sha256(target.file()));
      assertEquals(700_000, target.expectedSize());
    }
    assertEquals(List.of("GET /ipfs/" + dag.root() + "?format=car&dag-scope=entity"), requests);
  }

  @Test
  void fetchThroughRawGatewayAsksBlockByBlock() throws Exception {
    try (TestHttpServer gw = recording(TestHttpServer.gateway(gateway))) {
      FetchContext context = context(IpfsOptions.GATEWAYS, gw.base().toString()).toBuilder()
          .option(IpfsOptions.GATEWAY_MODE, "raw").build();
      FileTarget target = fetch(context);
      assertEquals(TestFiles.sha256(dag.file()), TestFiles.sha256(target.file()));
    }
    assertEquals(4, requests.size());
    assertTrue(requests.stream().allMatch(r -> r.endsWith("?format=raw")), requests.toString());
  }

  @Test
  void gatewayFlippingOneByteFailsNamingTheBlockAndTheNextGatewaySucceeds() throws Exception {
    long inLeaf1 = dag.carSectionStart(1) + dag.carSectionLength(1) / 2;
    Cid leaf1 = dag.leaves().get(1).cid();
    try (TestHttpServer bad = TestHttpServer.tampered(gateway, ex -> TestHttpServer.flipByteAt(inLeaf1));
        TestHttpServer good = TestHttpServer.gateway(gateway)) {
      FileTarget target = fetch(context(IpfsOptions.GATEWAYS, bad.base() + "," + good.base()));
      assertEquals(TestFiles.sha256(dag.file()), TestFiles.sha256(target.file()));
      String warning = log.lines().stream().filter(l -> l.startsWith("WARN")).findFirst().orElseThrow();
      assertTrue(warning.contains("block " + leaf1) && warning.contains(bad.base().toString()), warning);
      assertTrue(log.text().contains(dag.root() + ": 700000 bytes from gateway " + good.base()), log.text());
    }
  }

  @Test
  void rawBlockThatDoesNotMatchItsCidFailsTheGatewayNamingTheBlock() throws Exception {
    Cid leaf2 = dag.leaves().get(2).cid();
    try (TestHttpServer bad = TestHttpServer.tampered(gateway,
        ex -> ex.getRequestURI().getPath().endsWith(leaf2.toString()) ? TestHttpServer.flipByteAt(5000) : out -> out)) {
      FetchContext context = context(IpfsOptions.GATEWAYS, bad.base().toString()).toBuilder()
          .option(IpfsOptions.GATEWAY_MODE, "raw").build();
      FetchException e = assertThrows(FetchException.class, () -> fetch(context));
      assertTrue(e.getMessage().contains("block " + leaf2 + " from gateway " + bad.base()), e.getMessage());
      assertTrue(e.getMessage().contains("does not match its CID"), e.getMessage());
    }
  }

  @Test
  void gatewayAnsweringWithTheWrongContentTypeFailsClearly() throws Exception {
    try (TestHttpServer html = TestHttpServer.start(ex -> {
      byte[] page = "<html>not a trustless gateway</html>".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, page.length);
      ex.getResponseBody().write(page);
      ex.close();
    })) {
      FetchException e = assertThrows(FetchException.class,
          () -> fetch(context(IpfsOptions.GATEWAYS, html.base().toString())));
      assertTrue(e.getMessage().contains("Content-Type \"text/html; charset=utf-8\", expected application/vnd.ipld.car"),
          e.getMessage());
      assertTrue(e.getMessage().contains("not a trustless gateway"), e.getMessage());
    }
  }

  @Test
  void directoryCidFailsSayingItIsADirectoryWithoutTryingOtherEndpoints() throws Exception {
    byte[] dirNode = new PbNode(List.of(new PbLink(dag.root(), "data.bin", 700_100)),
        new UnixFsData(UnixFsType.DIRECTORY, null, -1, null).encode()).encode();
    Cid dirCid = Cid.v0(Multihash.of(dirNode));
    try (TestHttpServer dirGateway = recording(TestHttpServer.start(ex -> {
      ex.getResponseHeaders().set("Content-Type", "application/vnd.ipld.car; version=1");
      ex.sendResponseHeaders(200, 0);
      CarWriter car = new CarWriter(ex.getResponseBody(), List.of(dirCid));
      car.write(dirCid, dirNode);
      ex.close();
    })); TestHttpServer second = recording(TestHttpServer.gateway(gateway))) {
      FetchException e = assertThrows(FetchException.class, () -> backend.fetch(URI.create("ipfs://" + dirCid),
          new FileTarget(dir.resolve("out")), context(IpfsOptions.GATEWAYS, dirGateway.base() + "," + second.base())));
      assertTrue(e.getMessage().contains("CID " + dirCid + " is a UnixFS directory, not a file"), e.getMessage());
    }
    assertEquals(1, requests.size(), "the second gateway is not asked: " + requests);
  }

  @Test
  void cidOfANodeThatIsNotAUnixFsFileFailsNamingTheSourceAndWhatTheNodeIs() throws Exception {
    PbLink link = new PbLink(dag.root(), "data.bin", 700_100);
    byte[] noData = new PbNode(List.of(link), (byte[]) null).encode();
    byte[] symlink = new PbNode(List.of(), new UnixFsData(UnixFsType.SYMLINK, null, -1, null).encode()).encode();
    byte[] metadata = new PbNode(List.of(link), new UnixFsData(UnixFsType.METADATA, null, -1, null).encode()).encode();
    List<List<Object>> cases = List.of(
        List.of(noData, "is a dag-pb node without UnixFS data, not a UnixFS file"),
        List.of(symlink, "is a UnixFS symlink, not a file"),
        List.of(metadata, "is a UnixFS metadata node, not a file"));
    for (List<Object> c : cases) {
      byte[] node = (byte[]) c.get(0);
      Cid cid = Cid.v0(Multihash.of(node));
      try (TestHttpServer car = TestHttpServer.start(ex -> {
        ex.getResponseHeaders().set("Content-Type", "application/vnd.ipld.car; version=1");
        ex.sendResponseHeaders(200, 0);
        new CarWriter(ex.getResponseBody(), List.of(cid)).write(cid, node);
        ex.close();
      })) {
        FetchException e = assertThrows(FetchException.class, () -> backend.fetch(URI.create("ipfs://" + cid),
            new FileTarget(dir.resolve("out-" + cid)), context(IpfsOptions.GATEWAYS, car.base().toString())));
        assertTrue(e.getMessage().startsWith("ipfs://" + cid + ": CID " + cid + " " + c.get(1)), e.getMessage());
      }
    }
  }

  @Test
  void blockMissingFromTheCarIsFetchedAsARawBlock() throws Exception {
    long from = dag.carSectionStart(1);
    long to = from + dag.carSectionLength(1);
    try (TestHttpServer gw = recording(TestHttpServer.tampered(gateway,
        ex -> "car".equals(format(ex)) ? TestHttpServer.dropBytes(from, to) : out -> out))) {
      FileTarget target = fetch(context(IpfsOptions.GATEWAYS, gw.base().toString()));
      assertEquals(TestFiles.sha256(dag.file()), TestFiles.sha256(target.file()));
    }
    assertEquals(List.of("GET /ipfs/" + dag.root() + "?format=car&dag-scope=entity",
        "GET /ipfs/" + dag.leaves().get(1).cid() + "?format=raw"), requests);
  }

  @Test
  void carWithoutDuplicatesServesARepeatedBlockFromTheOneCopySent() throws Exception {
    ZeroFile zeros = ZeroFile.of(dir);
    try (TestHttpServer gw = recording(TestHttpServer.start(zeros.gateway("dups=n")))) {
      FileTarget target = new FileTarget(dir.resolve("out"));
      try (target) {
        backend.fetch(URI.create("ipfs://" + zeros.root), target, context(IpfsOptions.GATEWAYS, gw.base().toString()));
      }
      assertEquals(TestFiles.sha256(zeros.file), TestFiles.sha256(target.file()));
    }
    assertEquals(List.of("GET /ipfs/" + zeros.root + "?format=car&dag-scope=entity"), requests);
  }

  @Test
  void carPromisingDuplicatesIsTakenAtItsWordAndARepeatedBlockItLeavesOutIsAskedForAlone() throws Exception {
    ZeroFile zeros = ZeroFile.of(dir);
    try (TestHttpServer gw = recording(TestHttpServer.start(zeros.gateway("dups=y")))) {
      FileTarget target = new FileTarget(dir.resolve("out"));
      try (target) {
        backend.fetch(URI.create("ipfs://" + zeros.root), target, context(IpfsOptions.GATEWAYS, gw.base().toString()));
      }
      assertEquals(TestFiles.sha256(zeros.file), TestFiles.sha256(target.file()));
    }
    // Three equal leaves, one sent in the CAR: no used block is kept, so the other two are asked for.
    String raw = "GET /ipfs/" + zeros.leaf + "?format=raw";
    assertEquals(List.of("GET /ipfs/" + zeros.root + "?format=car&dag-scope=entity", raw, raw), requests);
  }

  /** Three 256 KiB chunks of zeros (kubo defaults): a root and one leaf CID used three times. */
  private record ZeroFile(Path file, Cid root, Cid leaf, java.util.Map<Cid, byte[]> blocks) {

    static ZeroFile of(Path dir) throws IOException {
      Path file = Files.write(dir.resolve("zeros"), new byte[3 * 262_144]);
      Cid root = UnixFsImporter.kuboDefaults().importFile(file);
      TrustlessGateway gateway = TrustlessGateway.builder().file(root, file).build();
      java.util.Map<Cid, byte[]> blocks = new java.util.HashMap<>();
      blocks.put(root, rawBlock(gateway, root));
      List<Cid> leaves = PbNode.decode(blocks.get(root), "root").links().stream().map(PbLink::cid).toList();
      assertEquals(3, leaves.size());
      assertEquals(1, Set.copyOf(leaves).size(), "one leaf CID used three times");
      blocks.put(leaves.get(0), rawBlock(gateway, leaves.get(0)));
      return new ZeroFile(file, root, leaves.get(0), blocks);
    }

    private static byte[] rawBlock(TrustlessGateway gateway, Cid cid) throws IOException {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      gateway.respond("GET", URI.create("/ipfs/" + cid + "?format=raw"), null).writeBody(out);
      return out.toByteArray();
    }

    /** A gateway sending each distinct block once in its CAR, declaring {@code dups}, and raw blocks on request. */
    com.sun.net.httpserver.HttpHandler gateway(String dups) {
      return ex -> {
        try (ex) {
          Cid cid = Cid.parse(ex.getRequestURI().getPath().substring("/ipfs/".length()));
          if ("car".equals(format(ex))) {
            ex.getResponseHeaders().set("Content-Type", "application/vnd.ipld.car; version=1; order=dfs; " + dups);
            ex.sendResponseHeaders(200, 0);
            CarWriter car = new CarWriter(ex.getResponseBody(), List.of(cid));
            car.write(root, blocks.get(root));
            car.write(leaf, blocks.get(leaf));
          } else {
            byte[] block = blocks.get(cid);
            ex.getResponseHeaders().set("Content-Type", "application/vnd.ipld.raw");
            ex.sendResponseHeaders(200, block.length);
            ex.getResponseBody().write(block);
          }
        }
      };
    }
  }

  @Test
  void fetchContinuesAfterTheBytesAlreadyPresentWithoutAskingForThem() throws Exception {
    Path out = dir.resolve("partial");
    Files.write(out, java.util.Arrays.copyOf(Files.readAllBytes(dag.file()), 300_000));
    try (TestHttpServer gw = recording(TestHttpServer.gateway(gateway))) {
      FetchContext context = context(IpfsOptions.GATEWAYS, gw.base().toString()).toBuilder()
          .option(IpfsOptions.GATEWAY_MODE, "raw").build();
      try (FileTarget target = new FileTarget(out)) {
        backend.fetch(URI.create("ipfs://" + dag.root()), target, context);
      }
    }
    assertEquals(TestFiles.sha256(dag.file()), TestFiles.sha256(out));
    assertFalse(requests.stream().anyMatch(r -> r.contains(dag.leaves().get(0).cid().toString())),
        "leaf 0 lies wholly before the resume offset: " + requests);
    assertEquals(3, requests.size());
  }

  @Test
  void carFetchContinuesAfterTheBytesAlreadyPresentAskingOnlyForTheRest() throws Exception {
    Path out = dir.resolve("partial");
    Files.write(out, java.util.Arrays.copyOf(Files.readAllBytes(dag.file()), 300_000));
    try (TestHttpServer gw = recording(TestHttpServer.gateway(gateway))) {
      try (FileTarget target = new FileTarget(out)) {
        backend.fetch(URI.create("ipfs://" + dag.root()), target, context(IpfsOptions.GATEWAYS, gw.base().toString()));
      }
    }
    assertEquals(TestFiles.sha256(dag.file()), TestFiles.sha256(out));
    assertEquals(List.of("GET /ipfs/" + dag.root() + "?format=car&dag-scope=entity&entity-bytes=300000:*"), requests);
  }

  @Test
  void gatewayIgnoringTheByteRangeStillYieldsTheRightFile() throws Exception {
    Path out = dir.resolve("partial");
    Files.write(out, java.util.Arrays.copyOf(Files.readAllBytes(dag.file()), 300_000));
    // A gateway that drops the query: it sends the whole DAG, leaf 0 included.
    try (TestHttpServer gw = TestHttpServer.start(ex -> {
      try (ex) {
        var r = gateway.respond("GET", URI.create(ex.getRequestURI().getRawPath() + "?format=car"), null);
        r.headers().forEach(ex.getResponseHeaders()::set);
        ex.sendResponseHeaders(r.status(), r.contentLength());
        r.writeBody(ex.getResponseBody());
      }
    })) {
      try (FileTarget target = new FileTarget(out)) {
        backend.fetch(URI.create("ipfs://" + dag.root()), target, context(IpfsOptions.GATEWAYS, gw.base().toString()));
      }
    }
    assertEquals(TestFiles.sha256(dag.file()), TestFiles.sha256(out));
  }

  @Test
  void gatewayServerErrorIsRetried() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    com.sun.net.httpserver.HttpHandler real = exchangeHandler();
    try (TestHttpServer flaky = TestHttpServer.start(ex -> {
      if (calls.getAndIncrement() == 0) {
        ex.sendResponseHeaders(503, -1);
        ex.close();
      } else {
        real.handle(ex);
      }
    })) {
      FileTarget target = fetch(context(IpfsOptions.GATEWAYS, flaky.base().toString()));
      assertEquals(TestFiles.sha256(dag.file()), TestFiles.sha256(target.file()));
      assertTrue(log.text().contains("HTTP 503") && log.text().contains("retrying"), log.text());
    }
  }

  @Test
  void stalledGatewayFailsAfterTheReadTimeout() throws Exception {
    try (TestHttpServer stalled = TestHttpServer.start(ex -> {
      ex.getResponseHeaders().set("Content-Type", "application/vnd.ipld.car");
      ex.sendResponseHeaders(200, 0);
      new CarWriter(ex.getResponseBody(), List.of(dag.root()));
      ex.getResponseBody().flush();
      try {
        Thread.sleep(20_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    })) {
      FetchContext context = context(IpfsOptions.GATEWAYS, stalled.base().toString()).toBuilder()
          .readTimeout(Duration.ofSeconds(1)).maxAttempts(1).build();
      long start = System.nanoTime();
      FetchException e = assertThrows(FetchException.class, () -> fetch(context));
      assertTrue(e.getMessage().contains("read timeout"), e.getMessage());
      assertTrue(System.nanoTime() - start < 15_000_000_000L, "gave up long before the server woke up");
    }
  }

  @Test
  void gatewayCredentialsFromTheUrlAreSentAndNeverShown() throws Exception {
    String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
    com.sun.net.httpserver.HttpHandler real = exchangeHandler();
    try (TestHttpServer guarded = TestHttpServer.start(ex -> {
      if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.sendResponseHeaders(401, -1);
        ex.close();
      } else {
        real.handle(ex);
      }
    })) {
      String base = guarded.base().toString();
      FileTarget ok = fetch(context(IpfsOptions.GATEWAYS, base.replace("http://", "http://alice:s3cret@")));
      assertEquals(TestFiles.sha256(dag.file()), TestFiles.sha256(ok.file()));
      FetchException e = assertThrows(FetchException.class,
          () -> fetch(context(IpfsOptions.GATEWAYS, base.replace("http://", "http://alice:wr0ng@"))));
      assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
      assertFalse(e.getMessage().contains("wr0ng") || log.text().contains("s3cret") || log.text().contains("wr0ng"),
          e.getMessage() + "\n" + log.text());
    }
  }

  @Test
  void gatewayRedirectIsFollowedWithoutTakingTheCredentialsToTheOtherOrigin() throws Exception {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpHandler real = exchangeHandler();
    try (TestHttpServer target = TestHttpServer.start(ex -> {
          authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          real.handle(ex);
        });
        TestHttpServer redirecting = TestHttpServer.start(ex -> {
          try (ex) {
            ex.getResponseHeaders().set("Location", target.base() + ex.getRequestURI().toString());
            ex.sendResponseHeaders(302, -1);
          }
        })) {
      String base = redirecting.base().toString().replace("http://", "http://alice:s3cret@");
      FileTarget out = fetch(context(IpfsOptions.GATEWAYS, base));
      assertEquals(TestFiles.sha256(dag.file()), TestFiles.sha256(out.file()));
      assertFalse(authorizations.isEmpty(), "the redirect was followed");
      assertTrue(authorizations.stream().allMatch("null"::equals),
          "no Authorization header reached the other origin: " + authorizations);
    }
  }

  @Test
  void kuboRpcWithoutDagExportFallsBackToCatVerifiedByRecomputingTheCid() throws Exception {
    try (TestHttpServer api = recording(TestHttpServer.start(catServing(dag.file())))) {
      FileTarget target = fetch(context(IpfsOptions.API, api.base().toString()));
      assertEquals(TestFiles.sha256(dag.file()), TestFiles.sha256(target.file()));
    }
    assertEquals(List.of("POST /api/v0/dag/export?arg=" + dag.root() + "&progress=false",
        "POST /api/v0/cat?arg=" + dag.root()), requests);
  }

  @Test
  void kuboRpcDagExportIsVerifiedBlockByBlockWhateverTheImportParameters() throws Exception {
    // Not kubo's defaults: 1000-byte chunks, 3 links per node, raw leaves, CIDv1. Only a verified CAR works.
    UnixFsImporter importer = UnixFsImporter.builder().chunkSize(1000).maxLinks(3).cidVersion(1).rawLeaves(true).build();
    byte[] bytes = Files.readAllBytes(dag.file());
    Path small = Files.write(dir.resolve("small"), java.util.Arrays.copyOf(bytes, 20_500));
    java.util.Map<Cid, byte[]> blocks = new java.util.HashMap<>();
    Cid root = importer.importFile(small, b -> blocks.put(b.cid(), b.node() != null ? b.node()
        : java.util.Arrays.copyOfRange(bytes, (int) b.offset(), (int) (b.offset() + b.length()))));
    Cid missing = blocks.keySet().stream().filter(c -> !c.isDagPb()).findFirst().orElseThrow();
    try (TestHttpServer api = recording(TestHttpServer.start(ex -> {
      try (ex) {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/api/v0/dag/export")) {
          ex.getResponseHeaders().set("Content-Type", "application/vnd.ipld.car");
          ex.sendResponseHeaders(200, 0);
          CarWriter car = new CarWriter(ex.getResponseBody(), List.of(root));
          writeDepthFirst(car, root, blocks, missing);
        } else if (path.equals("/api/v0/block/get")) {
          byte[] block = blocks.get(Cid.parse(ex.getRequestURI().getQuery().substring(4)));
          ex.sendResponseHeaders(200, block.length);
          ex.getResponseBody().write(block);
        } else {
          ex.sendResponseHeaders(404, -1);
        }
      }
    }))) {
      FileTarget target = new FileTarget(dir.resolve("out"));
      try (target) {
        backend.fetch(URI.create("ipfs://" + root), target, context(IpfsOptions.API, api.base().toString()));
      }
      assertEquals(TestFiles.sha256(small), TestFiles.sha256(target.file()));
    }
    assertEquals(List.of("POST /api/v0/dag/export?arg=" + root + "&progress=false",
        "POST /api/v0/block/get?arg=" + missing), requests);
  }

  private static void writeDepthFirst(CarWriter car, Cid cid, java.util.Map<Cid, byte[]> blocks, Cid leaveOut)
      throws IOException {
    if (!cid.equals(leaveOut)) {
      car.write(cid, blocks.get(cid));
    }
    if (cid.isDagPb()) {
      for (PbLink link : PbNode.decode(blocks.get(cid), cid.toString()).links()) {
        writeDepthFirst(car, link.cid(), blocks, leaveOut);
      }
    }
  }

  @Test
  void kuboRpcSendingOtherBytesFailsAndLeavesNothingBehind() throws Exception {
    Path other = TestFiles.random(dir, "other", 700_000, 43);
    try (TestHttpServer api = TestHttpServer.start(catServing(other))) {
      FileTarget target = new FileTarget(dir.resolve("out"));
      FetchException e = assertThrows(FetchException.class, () -> backend.fetch(URI.create("ipfs://" + dag.root()),
          target, context(IpfsOptions.API, api.base().toString())));
      assertTrue(e.getMessage().contains("do not hash to " + dag.root() + " with kubo's default import parameters"),
          e.getMessage());
      assertTrue(e.getMessage().contains(IpfsOptions.GATEWAYS), e.getMessage());
      assertEquals(0, target.position(), "unverified bytes are discarded");
    }
  }

  @Test
  void gatewaysAreTriedBeforeRpcApis() throws Exception {
    try (TestHttpServer api = recording(TestHttpServer.start(catServing(dag.file())));
        TestHttpServer gw = recording(TestHttpServer.gateway(gateway))) {
      FetchContext context = context(IpfsOptions.API, api.base().toString()).toBuilder()
          .option(IpfsOptions.GATEWAYS, gw.base().toString()).build();
      fetch(context);
    }
    assertEquals(1, requests.size());
    assertTrue(requests.get(0).contains("format=car"), requests.toString());
  }

  @Test
  void missingEndpointConfigurationFailsNamingTheOptions() {
    FetchException e = assertThrows(FetchException.class, () -> fetch(FetchContext.builder().build()));
    assertTrue(e.getMessage().contains(IpfsOptions.GATEWAYS) && e.getMessage().contains(IpfsOptions.API),
        e.getMessage());
    FetchException bad = assertThrows(FetchException.class,
        () -> fetch(context(IpfsOptions.GATEWAYS, "ftp://127.0.0.1:21")));
    assertTrue(bad.getMessage().contains("ftp://127.0.0.1:21") && bad.getMessage().contains("http(s)"),
        bad.getMessage());
  }

  @Test
  void sourcesOtherThanIpfsSlashSlashCidAreRefusedClearly() {
    assertTrue(refused("ipfs://" + dag.root() + "/a/b.txt").contains("path inside its CID"));
    assertTrue(refused("ipfs://bafyNOTACID").startsWith("source ipfs://bafyNOTACID: invalid CID \"bafyNOTACID\""));
    String dagCbor = "ipfs://bafyrei" + "a".repeat(52); // CIDv1, dag-cbor, sha2-256 of zeros
    String codec = refused(dagCbor);
    assertTrue(codec.startsWith("source " + dagCbor + ": unsupported CID"), codec);
    assertTrue(codec.contains("codec dag-cbor (0x71) is not supported; supported: CIDv0"), codec);
    String sha512 = "ipfs://bafybgq" + "a".repeat(103); // CIDv1, dag-pb, sha2-512 of zeros
    String hash = refused(sha512);
    assertTrue(hash.startsWith("source " + sha512 + ": unsupported CID"), hash);
    assertTrue(hash.contains("hash sha2-512 (0x13) is not supported; supported: CIDv0"), hash);
    assertEquals(Optional.empty(), backend.problem(URI.create("ipfs://" + dag.root())));
    assertTrue(backend.accepts(URI.create("ipfs://" + dag.root())));
    assertFalse(backend.accepts(URI.create("https://example.org/ipfs/" + dag.root())));
  }

  /** Why {@code source} is refused: fetching it fails, and {@link IpfsBackend#problem} says the same up front. */
  private String refused(String source) {
    URI uri = URI.create(source);
    FetchException e = assertThrows(FetchException.class, () -> backend.fetch(uri,
        new FileTarget(dir.resolve("refused")), context(IpfsOptions.GATEWAYS, "http://127.0.0.1:9")));
    assertEquals(Optional.of(e.getMessage()), backend.problem(uri));
    return e.getMessage();
  }

  @Test
  void offlineModeRefusesToFetch() {
    FetchContext context = context(IpfsOptions.GATEWAYS, "http://127.0.0.1:9").toBuilder().offline(true).build();
    FetchException e = assertThrows(FetchException.class, () -> fetch(context));
    assertTrue(e.getMessage().contains("offline"), e.getMessage());
  }

  @Test
  void seedSpecRecordsTheKuboDefaultCidOfTheArtifact() throws Exception {
    ArtifactEntry artifact = new ArtifactEntry(null, "/data/data.bin", 700_000, TestFiles.sha256(dag.file()),
        List.of(), List.of());
    SeedEntry seed = backend.seedSpec(artifact, dag.file()).orElseThrow();
    assertEquals("ipfs", seed.backend());
    assertEquals(IpfsCidOracle.cids(dag.file())[0], seed.param("cid"));
  }

  @Test
  void serviceLoaderFindsTheIpfsBackendForIpfsSources() {
    Backends backends = Backends.load();
    Backend found = backends.forSource(URI.create("ipfs://" + dag.root())).orElseThrow();
    assertInstanceOf(IpfsBackend.class, found);
    assertEquals("ipfs", backends.named("ipfs").orElseThrow().name());
    assertTrue(backends.supportedSchemes().contains("ipfs"));
  }

  private FileTarget fetch(FetchContext context) throws Exception {
    FileTarget target = new FileTarget(dir.resolve("out-" + System.nanoTime()));
    try (target) {
      backend.fetch(URI.create("ipfs://" + dag.root()), target, context);
    }
    return target;
  }

  private FetchContext context(String key, String value) {
    return FetchContext.builder()
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(10))
        .maxAttempts(2)
        .initialBackoff(Duration.ofMillis(10))
        .log(log)
        .option(key, value)
        .build();
  }

  private com.sun.net.httpserver.HttpHandler exchangeHandler() {
    return TestHttpServer.gatewayHandler(gateway);
  }

  private static com.sun.net.httpserver.HttpHandler catServing(Path file) {
    return ex -> {
      try (ex) {
        if (!ex.getRequestMethod().equals("POST") || !ex.getRequestURI().getPath().equals("/api/v0/cat")) {
          ex.sendResponseHeaders(405, -1);
          return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.getResponseHeaders().set("X-Stream-Output", "1");
        ex.sendResponseHeaders(200, 0);
        try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
          in.transferTo(out);
        }
      }
    };
  }

  private static String format(HttpExchange ex) {
    String q = ex.getRequestURI().getRawQuery();
    return q != null && q.contains("format=car") ? "car" : "raw";
  }

  /** Records each request line ("GET /ipfs/…?…") the server receives. */
  private TestHttpServer recording(TestHttpServer server) {
    return server.recordingInto(requests);
  }
}
