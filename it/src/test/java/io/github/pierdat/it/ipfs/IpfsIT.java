package io.github.pierdat.it.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.backend.ipfs.IpfsBackend;
import io.github.pierdat.backend.ipfs.IpfsOptions;
import io.github.pierdat.fetch.ArtifactCache;
import io.github.pierdat.fetch.ArtifactFetcher;
import io.github.pierdat.fetch.ArtifactRequest;
import io.github.pierdat.fetch.FetchedArtifact;
import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.manifest.SeedEntry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPFS end to end with real peers: the shaded agent jar seeding a baked artifact into a js-ipfs node through
 * its RPC API and serving it on its own trustless gateway, a second js-ipfs node and a Helia client fetching
 * it by CID, and the runtime fetcher rejecting a gateway that corrupts a block.
 */
class IpfsIT {

  private static final int SIZE = 3 * 1024 * 1024 + 12_345;

  @TempDir Path dir;
  private Path data;
  private String sha256;
  private String cid;
  private Path pierDat;

  @BeforeEach
  void bakedArtifact() throws Exception {
    data = dir.resolve("data/model.bin");
    Files.createDirectories(data.getParent());
    byte[] bytes = new byte[SIZE];
    new Random(6).nextBytes(bytes);
    Files.write(data, bytes);
    data.toFile().setReadOnly();
    sha256 = Sha256.hex(data);
    // The seed entries a build records: the HTTP path and the kubo-default CID.
    ArtifactEntry plain = new ArtifactEntry("model", data.toString(), SIZE, sha256,
        List.of("https://example.org/model.bin"), List.of(new SeedEntry("http", Map.of("path", "/artifacts/" + sha256))));
    SeedEntry ipfs = new IpfsBackend().seedSpec(plain, data).orElseThrow();
    cid = ipfs.param(IpfsBackend.CID_PARAM);
    ArtifactEntry artifact = new ArtifactEntry(plain.name(), plain.path(), plain.size(), plain.sha256(),
        plain.sources(), List.of(plain.seeds().get(0), ipfs));
    AgentSettings settings = new AgentSettings(AgentSettings.DEFAULT_HTTP_PORT, AgentSettings.DEFAULT_BT_PORT,
        "127.0.0.1", null, 0, null, null, null, "info");
    pierDat = dir.resolve("pier.dat");
    PierDatCodec.write(new PierDat(PierDat.CURRENT_VERSION, settings, new AppCommand(List.of(), List.of(), null),
        List.of(artifact)), pierDat);
  }

  @Test
  void agentPinsTheArtifactOnItsNodeAndASecondConnectedNodeFetchesItByCid() throws Exception {
    try (JsIpfsNode a = JsIpfsNode.start(dir.resolve("node-a"));
        HostAgent agent = HostAgent.start(pierDat, FreePort.find(), Map.of("PIERDAT_IPFS_API", a.api()))) {
      awaitPinned(a, agent);
      assertTrue(agent.log().contains("added and pinned " + cid), agent.log());
      try (JsIpfsNode b = JsIpfsNode.start(dir.resolve("node-b"))) {
        b.swarmConnect(a.swarmAddress());
        assertEquals(sha256, b.catSha256(cid));
      }
    }
  }

  @Test
  void agentAddsTheArtifactAgainAfterItsNodeRestartsWithAnEmptyRepository() throws Exception {
    try (JsIpfsNode a = JsIpfsNode.start(dir.resolve("node-a"));
        HostAgent agent = HostAgent.start(pierDat, FreePort.find(), Map.of("PIERDAT_IPFS_API", a.api()))) {
      awaitPinned(a, agent);
      a.restartEmpty();
      assertTrue(!a.pinned(cid), "the restarted node starts without the pin");
      awaitPinned(a, agent);
      assertTrue(agent.log().contains("restart #"), "the watchdog restarted the ipfs seeder:\n" + agent.log());
      assertEquals(sha256, a.catSha256(cid));
    }
  }

  @Test
  void heliaFetchesAndVerifiesTheArtifactFromTheAgentsTrustlessGateway() throws Exception {
    try (HostAgent agent = HostAgent.start(pierDat, FreePort.find(), Map.of())) {
      Path out = Files.createDirectories(dir.resolve("helia")).resolve("model.bin");
      HeliaClient.fetch(agent.httpBase(), cid, out);
      assertEquals(sha256, Sha256.hex(out));
    }
  }

  @Test
  void agentsGatewayServesOnlyDeclaredCids() throws Exception {
    try (HostAgent agent = HostAgent.start(pierDat, FreePort.find(), Map.of())) {
      HttpClient http = HttpClient.newHttpClient();
      String undeclared = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(
          URI.create(agent.httpBase() + "/ipfs/" + undeclared + "?format=raw")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(404, r.statusCode());
      HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(agent.httpBase() + "/ipfs/" + cid))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept", "application/vnd.ipld.car").build(),
          HttpResponse.BodyHandlers.discarding());
      assertEquals(200, head.statusCode());
      assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.ipld.car"));
    }
  }

  @Test
  void fetchByCidRejectsAGatewayServingACorruptedBlockAndUsesTheNextGateway() throws Exception {
    try (HostAgent agent = HostAgent.start(pierDat, FreePort.find(), Map.of())) {
      HttpServer corrupting = corruptingProxy(agent.httpBase());
      try {
        String bad = "http://127.0.0.1:" + corrupting.getAddress().getPort();
        List<String> warnings = new CopyOnWriteArrayList<>();
        FetchContext context = FetchContext.builder()
            .option(IpfsOptions.GATEWAYS, bad + "," + agent.httpBase())
            .log(new FetchLog() {
              @Override
              public void info(String message) {}

              @Override
              public void warn(String message) {
                warnings.add(message);
              }

              @Override
              public void debug(String message) {}
            })
            .build();
        ArtifactFetcher fetcher = new ArtifactFetcher(ArtifactCache.at(dir.resolve("cache")), Backends.load());
        FetchedArtifact fetched = fetcher.fetch(
            new ArtifactRequest("model", "/data/model.bin", sha256, List.of(URI.create("ipfs://" + cid))), context);
        assertEquals(sha256, Sha256.hex(fetched.file()));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("gateway " + bad) && w.contains("does not match")),
            "the corrupting gateway is named with the mismatch: " + warnings);
      } finally {
        corrupting.stop(0);
      }
    }
  }

  /** A gateway in front of {@code upstream} that flips one byte in the middle of every body it relays. */
  private static HttpServer corruptingProxy(String upstream) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()));
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
          request.header("Accept", accept);
        }
        HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] body = r.body();
        if (r.statusCode() == 200 && body.length > 0) {
          body[body.length / 2] ^= 0x01;
        }
        r.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
        exchange.sendResponseHeaders(r.statusCode(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
    return server;
  }

  private void awaitPinned(JsIpfsNode node, HostAgent agent) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!node.pinned(cid)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the node never pinned " + cid + "; agent log:\n" + agent.log()
            + "\nnode log:\n" + node.log());
      }
      Thread.sleep(250);
    }
  }
}
