package io.github.pierdat.it.agent;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pierdat.it.fixture.ProcessResult;
import io.github.pierdat.it.fixture.RawHttp;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pierdat image built with {@code pierdat:build}, run by podman on a read-only root filesystem as a
 * non-root user on one CPU, with a long-running app: the agent's HTTP seeder, reached from the host over
 * loopback, serves exactly the baked artifact (by sha256 and by image path, HEAD, ranges), its status,
 * health and metrics, and nothing else however the request is spelled; {@code pierdat status} inside the
 * container reports the seeders.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentSeedingIT {

  /** Not a multiple of any buffer size, so that a short or padded transfer shows. */
  private static final byte[] DATA = TestData.random(2 * 1024 * 1024 + 4321, 3101);
  private static final String SHA = Sha256.hex(DATA);
  private static final String PATH = AgentImage.PATH;
  /** Files the image holds but does not declare: the seeder must never return them. */
  private static final List<String> UNDECLARED = List.of("/etc/passwd", "/etc/group", "/etc/pier.dat",
      "/opt/pierdat/pierdat-agent.jar", "/opt/java/release");

  private AgentImage image;
  private AgentContainer container;
  private int port;
  /** sha256 of each undeclared file, as read inside the running container. */
  private final Map<String, String> undeclared = new LinkedHashMap<>();

  @BeforeAll
  void start() {
    image = AgentImage.build("agent-seeding", DATA);
    container = AgentContainer.of(image)
        .command("sh", "-c", "echo app running; while :; do sleep 1; done")
        .start()
        .awaitLog("app running")
        .awaitSeeding();
    port = container.port();
    List<String> command = new java.util.ArrayList<>(List.of("sha256sum"));
    command.addAll(UNDECLARED);
    String sums = container.exec(command.toArray(String[]::new)).assertSucceeded().stdout();
    sums.lines().map(line -> line.split("\\s+")).forEach(f -> undeclared.put(f[1], f[0]));
    assertEquals(UNDECLARED.size(), undeclared.size(), sums);
  }

  @AfterAll
  void stop() {
    try {
      if (container != null) {
        container.close();
      }
    } finally {
      if (image != null) {
        image.close();
      }
    }
  }

  @Test
  void servesTheArtifactBySha256WithIdenticalBytes() {
    RawHttp.Response response = RawHttp.get(port, "/artifacts/" + SHA);

    assertEquals(200, response.status(), response.toString());
    assertEquals(SHA, Sha256.hex(response.body()));
    assertEquals(String.valueOf(DATA.length), response.header("Content-Length"));
    assertEquals("\"" + SHA + "\"", response.header("ETag"));
    assertEquals("bytes", response.header("Accept-Ranges"));
  }

  @Test
  void servesTheArtifactAtItsImagePath() {
    RawHttp.Response response = RawHttp.get(port, PATH);

    assertEquals(200, response.status(), response.toString());
    assertEquals(SHA, Sha256.hex(response.body()));
  }

  @Test
  void answersHeadWithSizeAndEtagButNoBody() {
    RawHttp.Response response = RawHttp.head(port, "/artifacts/" + SHA);

    assertEquals(200, response.status(), response.toString());
    assertEquals(String.valueOf(DATA.length), response.header("Content-Length"));
    assertEquals("\"" + SHA + "\"", response.header("ETag"));
    assertEquals(0, response.body().length, "HEAD sent a body");
  }

  @Test
  void answersByteRangesWith206AndExactlyThoseBytes() {
    RawHttp.Response middle = RawHttp.get(port, PATH, "Range: bytes=1000000-1065535");
    RawHttp.Response suffix = RawHttp.get(port, "/artifacts/" + SHA, "Range: bytes=-777");
    RawHttp.Response open = RawHttp.get(port, "/artifacts/" + SHA, "Range: bytes=" + (DATA.length - 10) + "-");

    assertEquals(206, middle.status(), middle.toString());
    assertEquals("bytes 1000000-1065535/" + DATA.length, middle.header("Content-Range"));
    assertArrayEquals(Arrays.copyOfRange(DATA, 1_000_000, 1_065_536), middle.body());
    assertEquals(206, suffix.status(), suffix.toString());
    assertArrayEquals(Arrays.copyOfRange(DATA, DATA.length - 777, DATA.length), suffix.body());
    assertEquals(206, open.status(), open.toString());
    assertArrayEquals(Arrays.copyOfRange(DATA, DATA.length - 10, DATA.length), open.body());
  }

  @Test
  void answersAnUnsatisfiableRangeWith416AndTheSize() {
    RawHttp.Response response = RawHttp.get(port, "/artifacts/" + SHA, "Range: bytes=" + DATA.length + "-");

    assertEquals(416, response.status(), response.toString());
    assertEquals("bytes */" + DATA.length, response.header("Content-Range"));
    assertEquals(0, response.body().length);
  }

  @Test
  void answersNotModifiedForItsOwnEtag() {
    RawHttp.Response response = RawHttp.get(port, PATH, "If-None-Match: \"" + SHA + "\"");

    assertEquals(304, response.status(), response.toString());
    assertEquals(0, response.body().length);
  }

  @Test
  void listsTheArtifactAsJsonAtTheRoot() throws Exception {
    RawHttp.Response response = RawHttp.get(port, "/");

    assertEquals(200, response.status(), response.toString());
    assertTrue(response.header("Content-Type").startsWith("application/json"), response.toString());
    JsonNode doc = new ObjectMapper().readTree(response.body());
    JsonNode artifacts = doc.path("artifacts");
    assertEquals(1, artifacts.size(), doc.toPrettyString());
    JsonNode artifact = artifacts.get(0);
    assertAll(
        () -> assertEquals(image.artifact().name(), artifact.path("name").asText()),
        () -> assertEquals(PATH, artifact.path("path").asText()),
        () -> assertEquals(DATA.length, artifact.path("size").asLong()),
        () -> assertEquals(SHA, artifact.path("sha256").asText()),
        () -> assertTrue(artifact.path("seeds").findValuesAsText("backend").contains("http"), doc.toPrettyString()),
        () -> assertEquals("running", seeder(doc, "http").path("state").asText(), doc.toPrettyString()));
  }

  @Test
  void countsServedBytesInPrometheusMetrics() {
    RawHttp.Response before = RawHttp.get(port, "/metrics");
    long servedBefore = bytesServed(before.text());

    assertEquals(200, RawHttp.get(port, "/artifacts/" + SHA).status());
    RawHttp.Response after = RawHttp.get(port, "/metrics");

    assertEquals(200, after.status(), after.toString());
    assertTrue(after.header("Content-Type").startsWith("text/plain; version=0.0.4"), after.toString());
    assertTrue(after.text().contains("# TYPE pierdat_bytes_served_total counter"), after.text());
    assertTrue(after.text().contains("pierdat_seeder_up{backend=\"http\"} 1"), after.text());
    for (String line : after.text().split("\n")) {
      assertTrue(line.startsWith("#") || line.matches("[a-z_]+(\\{[^}]*\\})? \\d+"), "not Prometheus text: " + line);
    }
    assertEquals(DATA.length, bytesServed(after.text()) - servedBefore, after.text());
  }

  @Test
  void answersHealthz() {
    RawHttp.Response response = RawHttp.get(port, "/healthz");

    assertEquals(200, response.status(), response.toString());
    assertEquals("ok", response.text().trim());
  }

  @Test
  void statusCommandInsideTheContainerReportsTheSeeders() {
    ProcessResult status = container.exec("java", "-jar", "/opt/pierdat/pierdat-agent.jar", "status")
        .assertSucceeded();

    assertTrue(status.stdout().contains(":" + port + "/"), status.toString());
    assertTrue(status.stdout().contains("sha256:" + SHA), status.toString());
    Matcher seeder = Pattern.compile("(?m)^\\s+http\\s+running\\s+restarts=0$").matcher(status.stdout());
    assertTrue(seeder.find(), "no running http seeder in:\n" + status);
  }

  @Test
  void runsAsNonRootOnAReadOnlyRootFilesystemWithOneCpu() {
    String agentUid = container.exec("sh", "-c", "grep '^Uid:' /proc/1/status").assertSucceeded().stdout();
    String agentCommand = container.exec("cat", "/proc/1/cmdline").assertSucceeded().stdout();
    ProcessResult write = container.exec("sh", "-c", "echo x > /etc/pierdat-probe");

    assertTrue(agentUid.matches("Uid:\\s+1000\\s+1000\\s+1000\\s+1000\\s*"), agentUid);
    assertTrue(agentCommand.contains("/opt/pierdat/pierdat-agent.jar"), agentCommand);
    assertNotEquals(0, write.exitCode(), "root filesystem is writable: " + write);
    assertEquals("true", image.podman().inspect(container.id(), "{{.HostConfig.ReadonlyRootfs}}"));
    assertEquals("1000000000", image.podman().inspect(container.id(), "{{.HostConfig.NanoCpus}}"));
    assertTrue(container.running());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("probes")
  void neverServesAnythingButTheDeclaredArtifact(SeederProbe probe) {
    RawHttp.Response response = RawHttp.exchange(port, probe.request());

    assertEquals(probe.status(), response.status(), () -> probe.label() + ": " + response);
    if (response.status() == 200) {
      assertArrayEquals(DATA, response.body(), probe.label() + ": not the artifact's bytes");
    } else if (response.status() != 0) {
      assertTrue(response.body().length < 64, () -> probe.label() + ": unexpected body " + response);
    } else {
      assertEquals(0, response.raw().length, () -> probe.label() + ": " + response);
    }
    String raw = new String(response.raw(), StandardCharsets.ISO_8859_1);
    assertFalse(undeclared.containsValue(Sha256.hex(response.body())), probe.label() + " returned an undeclared file");
    assertFalse(raw.contains("root:x:0:0"), probe.label() + " returned /etc/passwd");
    assertFalse(raw.contains("PIERDAT_HTTP_PORT="), probe.label() + " returned a process environment");
    assertFalse(raw.contains("\"sources\""), probe.label() + " returned pier.dat");
    assertFalse(raw.contains("PK\u0003\u0004"), probe.label() + " returned a jar");
  }

  @Test
  void keepsServingAfterTheProbes() {
    probes().forEach(probe -> RawHttp.exchange(port, probe.request()));

    assertTrue(container.running());
    assertEquals(SHA, Sha256.hex(RawHttp.get(port, "/artifacts/" + SHA).body()));
    assertNull(RawHttp.get(port, "/etc/passwd").header("ETag"));
  }

  List<SeederProbe> probes() {
    return SeederProbe.all(PATH, SHA);
  }

  private long bytesServed(String metrics) {
    Matcher matcher = Pattern.compile("(?m)^pierdat_bytes_served_total\\{artifact=\""
        + Pattern.quote(image.artifact().name()) + "\",backend=\"http\"} (\\d+)$").matcher(metrics);
    return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
  }

  private static JsonNode seeder(JsonNode doc, String backend) {
    for (JsonNode seeder : doc.path("seeders")) {
      if (seeder.path("backend").asText().equals(backend)) {
        return seeder;
      }
    }
    throw new AssertionError("no seeder " + backend + " in " + doc.toPrettyString());
  }
}
