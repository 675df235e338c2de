package io.github.pierdat.it.jib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.ImageConfig;
import io.github.pierdat.it.fixture.ImageLayer;
import io.github.pierdat.it.fixture.ImageTar;
import io.github.pierdat.it.fixture.JavaBaseImage;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.Podman;
import io.github.pierdat.it.fixture.Registry;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code mvn compile jib:buildTar} and {@code jib:build} of a real Java app with jib-maven-plugin and the
 * pierdat extension: the same artifact and agent layers as {@code pierdat:buildTar}; the image pushed to a
 * real registry runs in podman, where the app reads the baked file with its own Guava and Jackson and the
 * agent serves the artifact over HTTP; in both agent modes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JibExtensionIT {

  private static final byte[] DATA = TestData.random(2 * 1024 * 1024, 505);
  private static final String SHA = Sha256.hex(DATA);
  private static final Pattern APP_LINE = Pattern.compile("DATA-APP (\\{.*})");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Registry registry;
  private Origin origin;
  private Podman podman;
  private String from;
  private ArtifactCache cache;

  @BeforeAll
  void start() {
    registry = Registry.start();
    origin = Origin.start().serve("/corpus.bin", DATA);
    from = JavaBaseImage.get().pushTo(registry, "base/java:17");
    cache = ArtifactCache.fresh("jib");
  }

  @AfterAll
  void stop() {
    if (podman != null) {
      podman.close();
    }
    if (origin != null) {
      origin.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private JibSample sample() {
    return new JibSample(registry.address(), origin.base(), SHA, from, cache);
  }

  @Test
  void jibBuildTarBakesTheSameArtifactAndAgentLayersAsPierdatBuildTar() {
    JibSample sample = sample();
    BuildResult jib = sample.build("compile", "jib:buildTar").run().assertSucceeded();
    sample.build("pierdat:buildTar").run().assertSucceeded();
    ImageTar jibImage = ImageTar.read(sample.jibTar());
    ImageTar pierdatImage = ImageTar.read(sample.project().imageTar());

    ImageLayer jibArtifact = jibImage.layerContaining(JibSample.PATH).orElseThrow();
    ImageLayer pierdatArtifact = pierdatImage.layerContaining(JibSample.PATH).orElseThrow();
    assertEquals(pierdatArtifact.digest(), jibArtifact.digest(), "artifact layer digest");
    assertEquals(pierdatArtifact.diffId(), jibArtifact.diffId(), "artifact layer diff id");
    assertEquals(List.of(JibSample.PATH), jibArtifact.filePaths());
    assertEquals(SHA, jibArtifact.entry(JibSample.PATH).orElseThrow().sha256());
    assertEquals(0444, jibArtifact.entry(JibSample.PATH).orElseThrow().mode());
    String agent = "/opt/pierdat/pierdat-agent.jar";
    assertEquals(pierdatImage.layerContaining(agent).orElseThrow().digest(),
        jibImage.layerContaining(agent).orElseThrow().digest(), "agent layer digest");
    assertEquals(artifactLabels(pierdatImage.config()), artifactLabels(jibImage.config()), "artifact labels");
    assertTrue(jibImage.file("/app/jib-classpath-file").isPresent(), "Jib's own layers are kept");
    jib.find("pierdat: 1 artifact layer\\(s\\) from io.github.pierdat:pierdat-maven-plugin <configuration>");
  }

  @Test
  void jibBuildTarMakesTheAgentRunJibsCommandAndKeepsArgsEnvAndJvmFlags() {
    JibSample sample = sample();
    sample.build("compile", "jib:buildTar").run().assertSucceeded();
    ImageTar image = ImageTar.read(sample.jibTar());
    ImageConfig config = image.config();

    List<String> entrypoint = config.entrypoint();
    assertEquals(List.of("-jar", "/opt/pierdat/pierdat-agent.jar", "run", "--"),
        entrypoint.subList(entrypoint.size() - 4, entrypoint.size()), "entrypoint " + entrypoint);
    assertEquals(List.of(JibSample.PATH), config.cmd(), "Jib's args stay the image's cmd");
    assertTrue(config.env().contains("APP_MODE=jib"), "env " + config.env());
    JsonNode app = pierDat(image).get("app");
    assertEquals(List.of("java", "-Dapp.greeting=hello-from-jvmflags", "-cp", "@/app/jib-classpath-file",
        "io.github.pierdat.it.jibapp.DataApp"), strings(app.get("entrypoint")), "pier.dat app " + app);
  }

  @Test
  void fetchesThroughTheSharedCacheOnlyOnce() {
    ArtifactCache own = ArtifactCache.fresh("jib-once");
    JibSample sample = new JibSample(registry.address(), origin.base(), SHA, from, own);
    long before = origin.bytesServed("/corpus.bin");
    sample.build("compile", "jib:buildTar").run().assertSucceeded();
    BuildResult second = sample.build("compile", "jib:buildTar").run().assertSucceeded();

    assertEquals(DATA.length, origin.bytesServed("/corpus.bin") - before, "bytes served for two builds");
    second.find("1 artifact\\(s\\), .*verified in .* \\(1 from cache\\)");
    assertEquals(SHA, own.verified().keySet().iterator().next());
  }

  @Test
  void pierdatSkipLeavesJibsImageAlone() {
    JibSample sample = sample();
    sample.build("compile", "jib:buildTar").property("pierdat.skip", "true").run().assertSucceeded();
    ImageTar image = ImageTar.read(sample.jibTar());

    assertTrue(image.layerContaining(JibSample.PATH).isEmpty(), "no artifact layer");
    assertTrue(image.file("/etc/pier.dat").isEmpty(), "no pier.dat");
    assertEquals("java", image.config().entrypoint().get(0));
    assertFalse(image.config().entrypoint().contains("/opt/pierdat/pierdat-agent.jar"), "entrypoint "
        + image.config().entrypoint());
    assertTrue(artifactLabels(image.config()).isEmpty(), "labels " + image.config().labels());
  }

  @Test
  void refusesAnArtifactInsideJibsAppRoot() {
    BuildResult result = sample().build("compile", "jib:buildTar").property("artifactPath", "/app/corpus.bin")
        .run().assertFailed();

    assertTrue(result.errors().contains("path /app/corpus.bin is inside /app, Jib's application root"),
        result.errors());
  }

  @Test
  void refusesAnUnknownAgentMode() {
    BuildResult result = sample().build("compile", "jib:buildTar").property("pierdat.agentMode", "sidecar")
        .run().assertFailed();

    assertTrue(result.errors().contains("-Dpierdat.agentMode is 'sidecar'; expected 'process'"), result.errors());
  }

  @Test
  void jibBuildImageRunsTheAppUnderTheAgentAndSeedsTheArtifact() throws Exception {
    runAndCheck("process", "it/jib-app:process");
  }

  @Test
  void javaagentModeRunsTheAgentInsideTheAppsJvm() throws Exception {
    ImageConfig config = runAndCheck("javaagent", "it/jib-app:javaagent");

    assertEquals(List.of("java", "-javaagent:/opt/pierdat/pierdat-agent.jar", "-Dapp.greeting=hello-from-jvmflags",
        "-cp", "@/app/jib-classpath-file", "io.github.pierdat.it.jibapp.DataApp"), config.entrypoint());
  }

  /** Builds with {@code jib:build}, runs the image, checks the app and the seeder, stops it; returns the config. */
  private ImageConfig runAndCheck(String agentMode, String repositoryAndTag) throws Exception {
    JibSample sample = sample();
    String image = registry.reference(repositoryAndTag);
    sample.build("compile", "jib:build").property("to", image).property("agentMode", agentMode)
        .run().assertSucceeded();
    int colon = repositoryAndTag.lastIndexOf(':');
    ImageConfig config = registry.config(
        registry.manifest(repositoryAndTag.substring(0, colon), repositoryAndTag.substring(colon + 1)));

    Podman podman = podman();
    int port = FreePort.find();
    String name = "jib-" + agentMode + "-" + port;
    podman.start(name, List.of("-e", "PIERDAT_HTTP_PORT=" + port, "-e", "PIERDAT_BACKENDS=http",
        "--read-only"), image);
    try {
      JsonNode report = awaitAppReport(podman, name);
      assertEquals(SHA, report.get("sha256").asText(), "the app's sha256 of the baked file: " + report);
      assertEquals(DATA.length, report.get("size").asLong());
      assertEquals("hello-from-jvmflags", report.get("greeting").asText(), "jvmFlags kept");
      assertEquals("jib", report.get("mode").asText(), "environment kept");
      assertTrue(report.get("guava").asText().endsWith("/guava-31.1-jre.jar"), "the app's own Guava: " + report);
      assertTrue(report.get("jackson").asText().endsWith("/jackson-databind-2.15.2.jar"),
          "the app's own Jackson: " + report);

      byte[] served = download("http://127.0.0.1:" + port + JibSample.PATH, podman, name);
      assertEquals(SHA, Sha256.hex(served), "artifact downloaded from the container");

      podman.stop(name, 15).assertSucceeded();
      assertEquals(143, podman.exitCode(name), "exit code: the app's, after SIGTERM; logs:\n" + podman.logs(name));
      assertTrue(podman.logs(name).contains("DATA-APP stopping"), "the app shut down: " + podman.logs(name));
    } finally {
      podman.remove(name);
    }
    return config;
  }

  private synchronized Podman podman() {
    if (podman == null) {
      podman = Podman.start();
    }
    return podman;
  }

  private static JsonNode awaitAppReport(Podman podman, String name) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String logs = "";
    while (System.nanoTime() < deadline) {
      logs = podman.logs(name);
      Matcher matcher = APP_LINE.matcher(logs);
      if (matcher.find()) {
        return JSON.readTree(matcher.group(1));
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the app printed no report within 90 s; logs:\n" + logs);
  }

  private static byte[] download(String url, Podman podman, String name) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
          byte[] bytes = body.readAllBytes();
          if (response.statusCode() == 200) {
            return bytes;
          }
          last = "HTTP " + response.statusCode();
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("cannot download " + url + " (" + last + "); logs:\n" + podman.logs(name));
  }

  private static Map<String, String> artifactLabels(ImageConfig config) {
    return config.labels().entrySet().stream()
        .filter(e -> e.getKey().startsWith("io.github.pierdat.artifact"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static JsonNode pierDat(ImageTar image) {
    try {
      return JSON.readTree(image.file("/etc/pier.dat").orElseThrow().content());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> strings(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
