package io.github.pierdat.it.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import io.github.pierdat.it.agent.AgentContainer;
import io.github.pierdat.it.agent.AgentImage;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPFS end to end with real parts: an image built by {@code pierdat:build} and run by podman the way
 * production runs it (read-only root filesystem, non-root user, host network), its agent seeding the baked
 * artifact into a js-ipfs node beside the container through the node's RPC API ({@code PIERDAT_IPFS_API}) and
 * serving it on its own trustless gateway; a second js-ipfs node and a Helia client fetch it by CID, and the
 * runtime fetcher rejects a gateway that corrupts a block. One image, node and container for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IpfsIT {

  /** Beyond one 256 KiB chunk and not a multiple of it, so the DAG has a root over many leaves. */
  private static final byte[] DATA = TestData.random(3 * 1024 * 1024 + 12_345, 6);
  private static final String SHA = Sha256.hex(DATA);

  @TempDir static Path dir;
  private AgentImage image;
  private JsIpfsNode node;
  private AgentContainer container;
  private String cid;

  @BeforeAll
  void imageNodeAndContainer() throws Exception {
    image = AgentImage.build("ipfs", DATA);
    cid = image.artifact().seed(IpfsBackend.NAME).orElseThrow(
        () -> new AssertionError("the build recorded no ipfs seed: " + image.artifact())).param(IpfsBackend.CID_PARAM);
    node = JsIpfsNode.start(dir.resolve("node-a"));
    container = AgentContainer.of(image).env("PIERDAT_IPFS_API", node.api()).env("PIERDAT_LOG", "info").start()
        .awaitSeeding();
  }

  @AfterAll
  void stopAll() throws Exception {
    try (AgentImage i = image; JsIpfsNode n = node; AgentContainer c = container) {
      // closed in reverse order: container, node, image
    }
  }

  @Test
  void agentInAContainerPinsTheArtifactOnItsNodeAndASecondConnectedNodeFetchesItByCid() throws Exception {
    awaitPinned();
    container.awaitLog("added and pinned " + cid);
    try (JsIpfsNode b = JsIpfsNode.start(dir.resolve("node-b"))) {
      b.swarmConnect(node.swarmAddress());
      assertEquals(SHA, b.catSha256(cid));
    }
  }

  @Test
  void agentAddsTheArtifactAgainAfterItsNodeRestartsWithAnEmptyRepository() throws Exception {
    awaitPinned();
    String identity = node.swarmAddress();
    String added = "added and pinned " + cid;
    int addedBefore = occurrences(container.logs(), added);
    node.restartEmpty();
    // A new repository has a new peer identity, so the pin can only come back from the agent. (Asking the node
    // whether the pin is gone raced with the agent, which may add it again first.)
    assertNotEquals(identity, node.swarmAddress(), "the node restarted with a new, empty repository");
    awaitPinned();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (occurrences(container.logs(), added) <= addedBefore && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    assertTrue(occurrences(container.logs(), added) > addedBefore, "the agent added the artifact again:\n"
        + container.logs());
    assertTrue(container.logs().contains("restart #"), "the watchdog restarted the ipfs seeder:\n" + container.logs());
    assertEquals(SHA, node.catSha256(cid));
  }

  @Test
  void heliaFetchesAndVerifiesTheArtifactFromTheContainersTrustlessGateway() throws Exception {
    Path out = Files.createDirectories(dir.resolve("helia")).resolve("model.bin");
    HeliaClient.fetch(gateway(), cid, out);
    assertEquals(SHA, Sha256.hex(out));
  }

  @Test
  void containersGatewayServesOnlyDeclaredCids() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String undeclared = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(
        URI.create(gateway() + "/ipfs/" + undeclared + "?format=raw")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(404, r.statusCode());
    HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(gateway() + "/ipfs/" + cid))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept", "application/vnd.ipld.car").build(),
        HttpResponse.BodyHandlers.discarding());
    assertEquals(200, head.statusCode());
    assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.ipld.car"));
  }

  @Test
  void fetchByCidRejectsAGatewayServingACorruptedBlockAndUsesTheNextGateway() throws Exception {
    HttpServer corrupting = corruptingProxy(gateway());
    try {
      String bad = "http://127.0.0.1:" + corrupting.getAddress().getPort();
      List<String> warnings = new CopyOnWriteArrayList<>();
      FetchContext context = FetchContext.builder()
          .option(IpfsOptions.GATEWAYS, bad + "," + gateway())
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
          new ArtifactRequest("model", "/data/model.bin", SHA, List.of(URI.create("ipfs://" + cid))), context);
      assertEquals(SHA, Sha256.hex(fetched.file()));
      assertTrue(warnings.stream().anyMatch(w -> w.contains("gateway " + bad) && w.contains("does not match")),
          "the corrupting gateway is named with the mismatch: " + warnings);
    } finally {
      corrupting.stop(0);
    }
  }

  /** The container's HTTP seeder, e.g. {@code http://127.0.0.1:7780}. */
  private String gateway() {
    return "http://127.0.0.1:" + container.port();
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

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      count++;
    }
    return count;
  }

  private void awaitPinned() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!node.pinned(cid)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the node never pinned " + cid + "; container output:\n" + container.logs()
            + "\nnode log:\n" + node.log());
      }
      Thread.sleep(250);
    }
  }
}
