package io.github.pierdat.backend.http.server;

import static io.github.pierdat.testing.Fixture.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeedMetrics;
import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.backend.UploadLimiter;
import io.github.pierdat.backend.ipfs.IpfsBackend;
import io.github.pierdat.backend.ipfs.IpfsOptions;
import io.github.pierdat.backend.ipfs.car.CarReader;
import io.github.pierdat.backend.ipfs.cid.Block;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.dagpb.PbNode;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.testing.Fixture;
import io.github.pierdat.testing.MemoryTarget;
import io.github.pierdat.testing.RawResponse;
import io.github.pierdat.testing.RecordingLog;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trustless IPFS gateway as the HTTP seeder mounts it at /ipfs/. */
class HttpSeederIpfsGatewayTest {

  @TempDir Path dir;
  private byte[] model;
  private ArtifactEntry modelEntry;
  private Cid modelCid;
  private final SeedMetrics metrics = new SeedMetrics();
  private HttpSeeder seeder;
  private int port;

  @BeforeEach
  void start() throws Exception {
    Path file = dir.resolve("data/model.bin");
    model = Fixture.randomFile(file, 3 * 256 * 1024 + 999, 7);
    modelCid = UnixFsImporter.kuboDefaults().importFile(file);
    ArtifactEntry plain = Fixture.artifact(file, model);
    List<SeedEntry> seeds = new ArrayList<>(plain.seeds());
    seeds.add(new SeedEntry(IpfsBackend.NAME, Map.of(IpfsBackend.CID_PARAM, modelCid.toString())));
    modelEntry = new ArtifactEntry(plain.name(), plain.path(), plain.size(), plain.sha256(), plain.sources(), seeds);
    AgentSettings settings = new AgentSettings(0, 0, "127.0.0.1", null, 0, null, null, null, null);
    SeedContext context = SeedContext.builder(settings).metrics(metrics).uploadLimiter(UploadLimiter.unlimited())
        .allArtifacts(List.of(modelEntry)).build();
    seeder = HttpSeeder.builder(
        List.of(new SeededArtifact(modelEntry, file, modelEntry.seed("http").orElseThrow())), context).build();
    seeder.start();
    port = seeder.port();
  }

  @AfterEach
  void stop() {
    seeder.stop(Duration.ofMillis(100));
  }

  private RawResponse request(String method, String target, String... headers) throws Exception {
    StringBuilder r = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    return RawResponse.parse(Fixture.rawExchange(port, r.append("\r\n").toString()), method.equals("HEAD"));
  }

  @Test
  void carOfTheRootHoldsEveryBlockOfTheFileEachMatchingItsCid() throws Exception {
    RawResponse r = request("GET", "/ipfs/" + modelCid + "?format=car");
    assertEquals(200, r.status());
    assertTrue(r.header("content-type").startsWith("application/vnd.ipld.car"), r.header("content-type"));
    assertEquals(String.valueOf(r.body().length), r.header("content-length"));
    List<Block> blocks = new ArrayList<>();
    try (CarReader car = new CarReader(new ByteArrayInputStream(r.body()), "seeder")) {
      assertEquals(List.of(modelCid), car.roots());
      for (Block b = car.next(); b != null; b = car.next()) {
        blocks.add(Block.verify(b.cid(), b.bytes(), "seeder"));
      }
    }
    assertEquals(modelCid, blocks.get(0).cid());
    assertEquals(1 + 4, blocks.size(), "the root and its four 256 KiB leaves");
    assertEquals(PbNode.decode(blocks.get(0).bytes(), "root").links().stream().map(l -> l.cid()).toList(),
        blocks.subList(1, 5).stream().map(Block::cid).toList());
    assertTrue(metrics.bytesServed(modelEntry.name(), HttpSeeder.BACKEND) >= r.body().length);
  }

  @Test
  void rawAnswersTheRootAndAnyLeafByFormatOrAcceptHeader() throws Exception {
    RawResponse root = request("GET", "/ipfs/" + modelCid + "?format=raw");
    assertEquals(200, root.status());
    assertEquals("application/vnd.ipld.raw", root.header("content-type"));
    Block.verify(modelCid, root.body(), "seeder");
    Cid leaf = PbNode.decode(root.body(), "root").links().get(2).cid();
    RawResponse leafResponse = request("GET", "/ipfs/" + leaf, "Accept: application/vnd.ipld.raw");
    assertEquals(200, leafResponse.status());
    Block.verify(leaf, leafResponse.body(), "seeder");
  }

  @Test
  void headAnswersTheLengthWithoutABody() throws Exception {
    RawResponse r = request("HEAD", "/ipfs/" + modelCid + "?format=raw");
    assertEquals(200, r.status());
    assertTrue(Long.parseLong(r.header("content-length")) > 0);
    assertEquals(0, r.rest().length);
  }

  @Test
  void cidsOfUndeclaredDataAreNotFoundAndNonVerifiableRequestsAreRefused() throws Exception {
    Cid other = UnixFsImporter.kuboDefaults().importStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), null);
    assertEquals(404, request("GET", "/ipfs/" + other + "?format=raw").status());
    assertEquals(400, request("GET", "/ipfs/not-a-cid?format=raw").status());
    assertEquals(406, request("GET", "/ipfs/" + modelCid).status());
    assertEquals(404, request("GET", "/ipfs/" + modelCid + "/etc/passwd?format=raw").status());
  }

  @Test
  void theRuntimeFetcherGetsTheFileThroughTheSeedersGateway() throws Exception {
    for (String mode : List.of("car", "raw")) {
      FetchContext context = FetchContext.builder()
          .option(IpfsOptions.GATEWAYS, "http://127.0.0.1:" + port)
          .option(IpfsOptions.GATEWAY_MODE, mode)
          .log(new RecordingLog())
          .build();
      MemoryTarget target = new MemoryTarget();
      new IpfsBackend().fetch(URI.create("ipfs://" + modelCid), target, context);
      assertEquals(sha256(model), sha256(target.bytes()), mode);
    }
  }
}
