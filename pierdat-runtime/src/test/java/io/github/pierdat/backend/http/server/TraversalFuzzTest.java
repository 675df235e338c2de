package io.github.pierdat.backend.http.server;

import static io.github.pierdat.testing.Fixture.rawExchange;
import static io.github.pierdat.testing.Fixture.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeedMetrics;
import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.testing.Fixture;
import io.github.pierdat.testing.RawResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw-socket requests that try to reach files outside the declared artifacts, or to confuse the parser.
 * Whatever is sent, a 200 may only carry the bytes of a declared artifact or one of the server's own
 * documents, and only for a path that names them exactly.
 */
class TraversalFuzzTest {

  @TempDir Path dir;
  private HttpSeeder seeder;
  private int port;
  private ArtifactEntry model;
  private Path secret;
  private Path pierDat;

  @BeforeEach
  void setUp() throws Exception {
    Path data = dir.resolve("data");
    byte[] bytes = Fixture.randomFile(data.resolve("model.bin"), 64 * 1024, 7);
    model = Fixture.artifact(data.resolve("model.bin"), bytes);
    secret = dir.resolve("secret.txt");
    Files.writeString(secret, "top secret\n");
    Fixture.randomFile(data.resolve("undeclared.bin"), 1000, 8);
    Files.createSymbolicLink(data.resolve("link-to-secret"), secret);
    Files.createSymbolicLink(data.resolve("link-to-passwd"), Path.of("/etc/passwd"));
    pierDat = Fixture.pierDat(dir, List.of(), List.of(model));
    AgentSettings settings = new AgentSettings(0, 0, "127.0.0.1", null, 0, null, null, null, null);
    SeedContext context = SeedContext.builder(settings).metrics(new SeedMetrics()).allArtifacts(List.of(model)).build();
    seeder = HttpSeeder.builder(List.of(new SeededArtifact(model, Path.of(model.path()), model.seed("http").orElseThrow())),
        context).build();
    seeder.start();
    port = seeder.port();
  }

  @AfterEach
  void tearDown() {
    seeder.stop(Duration.ZERO);
  }

  private List<String> hostileTargets() {
    String d = dir.toString();
    String enc = d.replace("/", "%2f");
    List<String> t = new ArrayList<>(List.of(
        "/etc/passwd", "/etc/shadow", "/proc/self/environ", "/proc/self/cmdline",
        pierDat.toString(), secret.toString(), d + "/data/undeclared.bin",
        d + "/data/link-to-secret", d + "/data/link-to-passwd", d + "/data", d + "/data/", d,
        model.path() + "/", model.path() + "/.", model.path() + "%00", model.path() + "%00.txt",
        d + "/data/../secret.txt", d + "/data/./model.bin", d + "//data/model.bin",
        d + "/data/%2e%2e/secret.txt", d + "/data/%2E%2E/secret.txt", d + "/data/%2e%2e%2fsecret.txt",
        d + "/data%2fmodel.bin", enc + "%2fdata%2fmodel.bin", d + "/data/..%2fsecret.txt",
        d + "/data/%252e%252e/secret.txt", d + "/data/%25%32%65%25%32%65/secret.txt",
        d + "/data/..%5csecret.txt", d + "\\data\\model.bin", d + "/data/%5c..%5csecret.txt",
        d + "/data/%c0%ae%c0%ae/secret.txt", d + "/data/%e0%80%ae%e0%80%ae/secret.txt",
        "/artifacts/../../etc/passwd", "/artifacts/" + model.sha256() + "/../../../etc/passwd",
        "/artifacts/%2e%2e/%2e%2e/etc/passwd", "/artifacts/" + model.sha256().toUpperCase(),
        "/artifacts/" + model.sha256() + "x", "/artifacts/", "/artifacts", "/../etc/passwd",
        "/..", "/.", "//etc/passwd", "/%2e%2e/etc/passwd", "/healthz/../etc/passwd", "/metrics/",
        "http://localhost/etc/passwd", "http://localhost/../etc/passwd", "http://evil.example" + d + "/secret.txt",
        "file:///etc/passwd", "etc/passwd", "*", "../etc/passwd", "%2fetc%2fpasswd",
        "/" + "a".repeat(9000), "/" + "../".repeat(2000) + "etc/passwd", "/%", "/%zz", "/%2", "/x?y=../../etc/passwd",
        "/etc/passwd#frag", "/\u00e9t\u00e9"));
    return t;
  }

  @Test
  void hostileTargetsNeverReturnAnythingButDeclaredArtifacts() throws Exception {
    Set<String> allowedBodies = Set.of(model.sha256());
    for (String target : hostileTargets()) {
      byte[] raw = rawExchange(port, ("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      RawResponse r = RawResponse.parse(raw, false);
      assertNotEquals(200, r.status(), "200 for " + target.substring(0, Math.min(200, target.length())));
      assertTrue(r.status() == 400 || r.status() == 404 || r.status() == 414, r.status() + " for " + target);
      assertTrue(!allowedBodies.contains(sha256(r.body())) || r.body().length == 0);
      assertTrue(!new String(r.body(), StandardCharsets.ISO_8859_1).contains("root:"), "passwd leaked for " + target);
      assertTrue(!new String(r.body(), StandardCharsets.ISO_8859_1).contains("top secret"), "secret leaked for " + target);
    }
  }

  @Test
  void absoluteFormAndEncodedButHarmlessTargetsReachOnlyTheDeclaredArtifact() throws Exception {
    String encoded = model.path().replace("model.bin", "%6dodel.bin");
    for (String target : List.of("http://localhost" + model.path(), "HTTP://x:1" + model.path() + "?q=1", encoded,
        "/artifacts/" + model.sha256() + "?x=/etc/passwd")) {
      RawResponse r = RawResponse.parse(rawExchange(port,
          "GET " + target + " HTTP/1.1\r\nConnection: close\r\n\r\n"), false);
      assertEquals(200, r.status(), target);
      assertEquals(model.sha256(), sha256(r.body()), target);
    }
  }

  @Test
  void malformedRequestsAreRejectedWithoutServingAnything() throws Exception {
    String p = model.path();
    List<byte[]> requests = new ArrayList<>();
    for (String s : List.of(
        "GET " + p + "\r\n\r\n", "GET\r\n\r\n", "GET  " + p + " HTTP/1.1\r\n\r\n", "GET " + p + "  HTTP/1.1\r\n\r\n",
        "GET " + p + " HTTP/1.1 extra\r\n\r\n", "GET " + p + " HTTP/2.0\r\n\r\n", "GET " + p + " FOO/1.1\r\n\r\n",
        "G\u0000T " + p + " HTTP/1.1\r\n\r\n", "GET " + p + "\u0000 HTTP/1.1\r\n\r\n",
        "GET " + p + " HTTP/1.1\r\nHost: a\u0000b\r\n\r\n", "GET " + p + " HTTP/1.1\r\nBad Header: x\r\n\r\n",
        "GET " + p + " HTTP/1.1\r\n folded: x\r\n\r\n", "GET " + p + " HTTP/1.1\r\n:novalue\r\n\r\n",
        "GET " + p + " HTTP/1.1\r\nX: " + "y".repeat(20000) + "\r\n\r\n", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000",
        "GET " + p + " HTTP/1.1\r\nHost: x")) {
      requests.add(s.getBytes(StandardCharsets.ISO_8859_1));
    }
    Random random = new Random(42);
    for (int i = 0; i < 40; i++) {
      ByteArrayOutputStream junk = new ByteArrayOutputStream();
      junk.writeBytes(("GET " + p).getBytes(StandardCharsets.ISO_8859_1));
      byte[] noise = new byte[random.nextInt(64) + 1];
      random.nextBytes(noise);
      junk.writeBytes(noise);
      junk.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      requests.add(junk.toByteArray());
    }
    for (byte[] request : requests) {
      byte[] raw = rawExchange(port, request);
      String shown = new String(request, StandardCharsets.ISO_8859_1);
      shown = shown.substring(0, Math.min(80, shown.length()));
      if (raw.length == 0) {
        continue;
      }
      RawResponse r = RawResponse.parse(raw, false);
      if (r.status() == 200) {
        // Noise may happen to form a valid request for the artifact itself (e.g. a query string).
        assertEquals(model.sha256(), sha256(r.body()), "200 with foreign bytes for " + shown);
      } else {
        assertTrue(r.status() >= 400 && r.status() < 600, r.status() + " for " + shown);
      }
    }
    // The server survived all of it.
    assertEquals(200, RawResponse.parse(rawExchange(port, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n"), false).status());
  }

  @Test
  void declaredArtifactReplacedBySymlinkIsNotFollowed() throws Exception {
    Path file = Path.of(model.path());
    Files.move(file, dir.resolve("moved.bin"));
    Files.createSymbolicLink(file, Path.of("/etc/passwd"));
    RawResponse r = RawResponse.parse(rawExchange(port, "GET " + model.path() + " HTTP/1.1\r\nConnection: close\r\n\r\n"), false);
    assertNotEquals(200, r.status());
    assertTrue(!new String(r.body(), StandardCharsets.ISO_8859_1).contains("root:"));
  }
}
