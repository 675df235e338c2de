package io.github.pierdat.backend.http.server;

import static io.github.pierdat.testing.Fixture.rawExchange;
import static io.github.pierdat.testing.Fixture.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeedMetrics;
import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.backend.SeederHealth;
import io.github.pierdat.backend.UploadLimiter;
import io.github.pierdat.json.Json;
import io.github.pierdat.json.JsonFields;
import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.testing.Fixture;
import io.github.pierdat.testing.RawResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpSeederTest {

  @TempDir Path dir;
  private byte[] model;
  private byte[] index;
  private ArtifactEntry modelEntry;
  private ArtifactEntry indexEntry;
  private SeedMetrics metrics;
  private HttpSeeder seeder;

  @BeforeEach
  void setUp() throws Exception {
    model = Fixture.randomFile(dir.resolve("data/model.bin"), 3 * 1024 * 1024 + 17, 1);
    index = Fixture.randomFile(dir.resolve("data/index.bin"), 4096, 2);
    modelEntry = Fixture.artifact(dir.resolve("data/model.bin"), model);
    indexEntry = Fixture.artifact(dir.resolve("data/index.bin"), index);
    metrics = new SeedMetrics();
  }

  @AfterEach
  void tearDown() {
    if (seeder != null) {
      seeder.stop(Duration.ofMillis(100));
    }
  }

  private int start(UploadLimiter limiter, int maxConnections) throws Exception {
    AgentSettings settings = new AgentSettings(0, 0, "127.0.0.1", null, 0, null, null, null, null);
    SeedContext context = SeedContext.builder(settings).metrics(metrics).uploadLimiter(limiter)
        .allArtifacts(List.of(modelEntry, indexEntry)).build();
    List<SeededArtifact> artifacts = new ArrayList<>();
    for (ArtifactEntry e : List.of(modelEntry, indexEntry)) {
      artifacts.add(new SeededArtifact(e, Path.of(e.path()), e.seed("http").orElseThrow()));
    }
    seeder = HttpSeeder.builder(artifacts, context).maxConnections(maxConnections).build();
    seeder.start();
    assertEquals(SeederHealth.State.RUNNING, seeder.health().state());
    return seeder.port();
  }

  private int start() throws Exception {
    return start(UploadLimiter.unlimited(), 64);
  }

  private static RawResponse get(int port, String target, String... headers) throws Exception {
    return request(port, "GET", target, headers);
  }

  private static RawResponse request(int port, String method, String target, String... headers) throws Exception {
    StringBuilder r = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    r.append("\r\n");
    return RawResponse.parse(rawExchange(port, r.toString()), method.equals("HEAD"));
  }

  @Test
  void getServesWholeArtifactAtShaPathAndAtImagePath() throws Exception {
    int port = start();
    for (String target : List.of("/artifacts/" + modelEntry.sha256(), modelEntry.path())) {
      RawResponse r = get(port, target);
      assertEquals(200, r.status(), target);
      assertEquals(sha256(model), sha256(r.body()));
      assertEquals(String.valueOf(model.length), r.header("content-length"));
      assertEquals("\"" + modelEntry.sha256() + "\"", r.header("etag"));
      assertEquals("bytes", r.header("accept-ranges"));
    }
  }

  @Test
  void headAnswersHeadersWithoutBody() throws Exception {
    int port = start();
    byte[] raw = rawExchange(port, "HEAD " + indexEntry.path() + " HTTP/1.1\r\nConnection: close\r\n\r\n");
    RawResponse r = RawResponse.parse(raw, true);
    assertEquals(200, r.status());
    assertEquals(String.valueOf(index.length), r.header("content-length"));
    assertEquals(0, r.rest().length, "HEAD must not send a body");
  }

  @Test
  void singleByteRangesReturnExactlyTheRequestedBytes() throws Exception {
    int port = start();
    int n = model.length;
    record Case(String range, int first, int last) {}
    for (Case c : List.of(new Case("bytes=0-0", 0, 0), new Case("bytes=0-99", 0, 99),
        new Case("bytes=1000-200000", 1000, 200000), new Case("bytes=" + (n - 10) + "-" + (n + 500), n - 10, n - 1),
        new Case("bytes=-4096", n - 4096, n - 1), new Case("bytes=3000000-", 3000000, n - 1))) {
      RawResponse r = get(port, "/artifacts/" + modelEntry.sha256(), "Range: " + c.range());
      assertEquals(206, r.status(), c.range());
      assertEquals("bytes " + c.first() + "-" + c.last() + "/" + n, r.header("content-range"), c.range());
      assertArrayEquals(Arrays.copyOfRange(model, c.first(), c.last() + 1), r.body(), c.range());
    }
  }

  @Test
  void rangeBeyondTheEndIsUnsatisfiable() throws Exception {
    int port = start();
    RawResponse r = get(port, "/artifacts/" + indexEntry.sha256(), "Range: bytes=4096-");
    assertEquals(416, r.status());
    assertEquals("bytes */4096", r.header("content-range"));
    assertEquals(0, r.body().length);
  }

  @Test
  void multipleOrMalformedRangesAreIgnoredAndTheWholeFileSent() throws Exception {
    int port = start();
    for (String range : List.of("bytes=0-1,5-6", "bytes=abc", "items=0-1", "bytes=9-3")) {
      RawResponse r = get(port, "/artifacts/" + indexEntry.sha256(), "Range: " + range);
      assertEquals(200, r.status(), range);
      assertArrayEquals(index, r.body(), range);
    }
  }

  @Test
  void ifNoneMatchWithTheEtagGives304AndIfRangeMismatchGivesWholeFile() throws Exception {
    int port = start();
    String etag = "\"" + indexEntry.sha256() + "\"";
    RawResponse notModified = get(port, indexEntry.path(), "If-None-Match: \"other\", " + etag);
    assertEquals(304, notModified.status());
    assertEquals(etag, notModified.header("etag"));
    assertEquals(0, notModified.rest().length);
    RawResponse changed = get(port, indexEntry.path(), "If-None-Match: \"other\"");
    assertEquals(200, changed.status());

    RawResponse stale = get(port, indexEntry.path(), "Range: bytes=0-9", "If-Range: \"stale\"");
    assertEquals(200, stale.status());
    assertArrayEquals(index, stale.body());
    RawResponse fresh = get(port, indexEntry.path(), "Range: bytes=0-9", "If-Range: " + etag);
    assertEquals(206, fresh.status());
    assertArrayEquals(Arrays.copyOf(index, 10), fresh.body());
  }

  @Test
  void rootListsArtifactsWithSeedsOfOtherBackendsAsJson() throws Exception {
    int port = start();
    RawResponse r = get(port, "/");
    assertEquals(200, r.status());
    assertTrue(r.header("content-type").startsWith("application/json"));
    List<JsonFields> artifacts = JsonFields.root(Json.parse(r.body())).objects("artifacts");
    assertEquals(2, artifacts.size());
    JsonFields first = artifacts.get(0);
    assertEquals("model.bin", first.string("name"));
    assertEquals(modelEntry.path(), first.string("path"));
    assertEquals(model.length, first.integer("size", 0, Long.MAX_VALUE));
    assertEquals(modelEntry.sha256(), first.string("sha256"));
    assertEquals("/artifacts/" + modelEntry.sha256(), first.string("url"));
    JsonFields seed = first.objects("seeds").get(1);
    assertEquals("bittorrent", seed.string("backend"));
    assertEquals("0123456789abcdef0123456789abcdef01234567", seed.stringMap("params").get("infohash"));
  }

  @Test
  void metricsCountServedBytesRequestsAndHealthzAnswers() throws Exception {
    int port = start();
    assertEquals(200, get(port, "/artifacts/" + modelEntry.sha256()).status());
    assertEquals(206, get(port, indexEntry.path(), "Range: bytes=0-99").status());
    assertEquals(404, get(port, "/nothing").status());
    RawResponse health = get(port, "/healthz");
    assertEquals(200, health.status());
    assertEquals("ok\n", new String(health.body(), StandardCharsets.UTF_8));
    String text = new String(get(port, "/metrics").body(), StandardCharsets.UTF_8);
    assertTrue(text.contains("pierdat_bytes_served_total{artifact=\"model.bin\",backend=\"http\"} " + model.length), text);
    assertTrue(text.contains("pierdat_bytes_served_total{artifact=\"index.bin\",backend=\"http\"} 100"), text);
    assertTrue(text.contains("pierdat_requests_total{code=\"404\"} 1"), text);
    assertTrue(text.contains("pierdat_requests_total{code=\"206\"} 1"), text);
    assertTrue(text.contains("pierdat_active_transfers 0"), text);
  }

  @Test
  void methodsOtherThanGetAndHeadGet405() throws Exception {
    int port = start();
    for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "BREW")) {
      RawResponse r = request(port, method, indexEntry.path());
      assertEquals(405, r.status(), method);
      assertEquals("GET, HEAD", r.header("allow"));
    }
  }

  @Test
  void keepAliveConnectionServesPipelinedRequests() throws Exception {
    int port = start();
    String one = "GET " + indexEntry.path() + " HTTP/1.1\r\nHost: x\r\n\r\n";
    String two = "GET /artifacts/" + indexEntry.sha256() + " HTTP/1.1\r\nHost: x\r\nRange: bytes=-10\r\nConnection: close\r\n\r\n";
    byte[] raw = rawExchange(port, one + two);
    RawResponse first = RawResponse.parse(raw, false);
    assertEquals(200, first.status());
    assertArrayEquals(index, first.body());
    RawResponse second = RawResponse.parse(first.rest(), false);
    assertEquals(206, second.status());
    assertArrayEquals(Arrays.copyOfRange(index, index.length - 10, index.length), second.body());
  }

  @Test
  void connectionsOverTheCapAreAnswered503() throws Exception {
    int port = start(UploadLimiter.unlimited(), 2);
    try (Socket a = new Socket(InetAddress.getLoopbackAddress(), port);
        Socket b = new Socket(InetAddress.getLoopbackAddress(), port)) {
      // Both idle connections hold their slots; give the acceptor a moment to take them.
      Thread.sleep(300);
      RawResponse refused = RawResponse.parse(rawExchange(port, "GET /healthz HTTP/1.1\r\n\r\n"), false);
      assertEquals(503, refused.status());
      assertEquals("1", refused.header("retry-after"));
    }
    Thread.sleep(300);
    assertEquals(200, get(port, "/healthz").status());
  }

  @Test
  void uploadLimitSlowsDownloadsToTheConfiguredRate() throws Exception {
    long limit = 512 * 1024;
    int port = start(UploadLimiter.of(limit), 64);
    long started = System.nanoTime();
    RawResponse r = get(port, "/artifacts/" + modelEntry.sha256(), "Range: bytes=0-" + (1024 * 1024 - 1));
    double seconds = (System.nanoTime() - started) / 1e9;
    assertEquals(206, r.status());
    assertArrayEquals(Arrays.copyOf(model, 1024 * 1024), r.body());
    // 1 MiB at 512 KiB/s takes 2 s; the bucket allows a burst of 0.1 s.
    assertTrue(seconds >= 1.8, "1 MiB at 512 KiB/s took only " + seconds + " s");
  }

  @Test
  void servesReadOnlyFileInReadOnlyDirectory() throws Exception {
    Path data = dir.resolve("data");
    Files.setPosixFilePermissions(data.resolve("index.bin"), PosixFilePermissions.fromString("r--r--r--"));
    Files.setPosixFilePermissions(data.resolve("model.bin"), PosixFilePermissions.fromString("r--r--r--"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      int port = start();
      RawResponse r = get(port, indexEntry.path());
      assertEquals(200, r.status());
      assertEquals(sha256(index), sha256(r.body()));
    } finally {
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void restartsAfterStopOnTheSamePort() throws Exception {
    int port = start();
    seeder.stop(Duration.ofMillis(100));
    assertEquals(SeederHealth.State.STOPPED, seeder.health().state());
    AgentSettings settings = new AgentSettings(port, 0, "127.0.0.1", null, 0, null, null, null, null);
    SeedContext context = SeedContext.builder(settings).metrics(metrics).build();
    seeder = HttpSeeder.builder(List.of(new SeededArtifact(indexEntry, Path.of(indexEntry.path()),
        indexEntry.seed("http").orElseThrow())), context).build();
    seeder.start();
    seeder.stop(Duration.ZERO);
    seeder.start();
    assertEquals(port, seeder.port());
    assertArrayEquals(index, get(port, indexEntry.path()).body());
  }

  @Test
  void stalledClientIsDisconnectedAfterTheIdleTimeout() throws Exception {
    AgentSettings settings = new AgentSettings(0, 0, "127.0.0.1", null, 0, null, null, null, null);
    SeedContext context = SeedContext.builder(settings).metrics(metrics).build();
    seeder = HttpSeeder.builder(List.of(), context).idleTimeout(Duration.ofMillis(300)).build();
    seeder.start();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), seeder.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      long started = System.nanoTime();
      assertEquals(-1, in.read(), "server should close an idle connection without answering");
      assertTrue(System.nanoTime() - started < 3_000_000_000L);
    }
  }
}
