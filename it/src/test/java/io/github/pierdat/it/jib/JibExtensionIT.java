package io.github.pierdat.it.jib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pierdat.it.bittorrent.Qbittorrent;
import io.github.pierdat.it.fixture.ArtifactCache;
import io.github.pierdat.it.fixture.BuildResult;
import io.github.pierdat.it.fixture.Fixtures;
import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.ImageConfig;
import io.github.pierdat.it.fixture.ImageLayer;
import io.github.pierdat.it.fixture.ImageTar;
import io.github.pierdat.it.fixture.ItEnvironment;
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
import java.nio.file.Files;
import java.nio.file.Path;
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
 * agent serves the artifact over HTTP; in both agent modes. The {@code jib-cases} reactor covers the
 * extension's own configuration, jib-maven-plugin 3.4.x, {@code pierdat.skip} and the misconfigurations.
 *
 * <p>Maven runs are the cost here, so they are shared: one build of {@code jib-app} ({@code jib:build},
 * {@code jib:buildTar}, {@code pierdat:buildTar}) serves most tests, one {@code -fae} build of the
 * {@code jib-cases} reactor serves the rest, and only the javaagent image needs a build of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JibExtensionIT {

  private static final byte[] DATA = TestData.random(1024 * 1024, 505);
  private static final String SHA = Sha256.hex(DATA);
  private static final Pattern APP_LINE = Pattern.compile("DATA-APP (\\{.*})");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AGENT_JAR = "/opt/pierdat/pierdat-agent.jar";
  private static final String PROCESS_IMAGE = "it/jib-app:process";

  private Registry registry;
  private Origin origin;
  private Podman podman;
  private String from;
  private ArtifactCache cache;

  /** jib-app, built once by {@link #start()}; the javaagent test builds it again with another agent mode. */
  private JibSample app;
  private BuildResult appBuild;
  private long appBuildBytes;
  private ImageTar jibImage;
  private ImageTar pierdatImage;

  /** The jib-cases reactor, built on first use. */
  private JibSample cases;
  private BuildResult casesBuild;
  private long casesBuildBytes;

  @BeforeAll
  void start() {
    registry = Registry.start();
    origin = Origin.start().serve("/corpus.bin", DATA);
    from = JavaBaseImage.get().pushTo(registry, "base/java:17");
    cache = ArtifactCache.fresh("jib");

    app = sample("jib-app");
    appBuild = app.build("compile", "jib:build", "jib:buildTar", "pierdat:buildTar")
        .property("to", registry.reference(PROCESS_IMAGE))
        .run().assertSucceeded();
    appBuildBytes = origin.bytesServed("/corpus.bin");
    jibImage = ImageTar.read(app.jibTar());
    pierdatImage = ImageTar.read(app.project().imageTar());
  }

  @AfterAll
  void stop() {
    Fixtures.closeAll(podman, origin, registry);
  }


  private JibSample sample(String name) {
    return new JibSample(name, registry.address(), origin.base(), SHA, from, cache);
  }

  /** {@code mvn -fae process-resources jib:buildTar} of jib-cases (some modules build, some must fail), once. */
  private synchronized BuildResult cases() {
    if (casesBuild == null) {
      cases = sample("jib-cases");
      long before = origin.bytesServed("/corpus.bin");
      casesBuild = cases.build("process-resources", "jib:buildTar").arguments("-fae")
          .property("jibPreviousVersion", ItEnvironment.jibPreviousVersion())
          .run();
      casesBuildBytes = origin.bytesServed("/corpus.bin") - before;
      if (casesBuild.timedOut() || !casesBuild.log().contains("Reactor Summary")) {
        throw new AssertionError("the jib-cases build did not get through its modules: " + casesBuild.command()
            + "\nlog " + casesBuild.logFile() + ":\n" + casesBuild.tail(80));
      }
    }
    return casesBuild;
  }

  /** The image {@code jib:buildTar} wrote for a module of jib-cases that must have built. */
  private ImageTar casesImage(String module) {
    BuildResult build = cases();
    assertTrue(build.linesContaining("on project " + module + ":").isEmpty(),
        module + " must build; log " + build.logFile() + ":\n" + build.errors());
    return ImageTar.read(cases.jibTar(module));
  }

  /** Maven's error for a module of jib-cases that must have failed: the extension's message. */
  private String casesFailure(String module) {
    BuildResult build = cases();
    List<String> lines = build.linesContaining("on project " + module + ":");
    assertEquals(1, lines.size(), module + " must fail once; log " + build.logFile() + ":\n" + build.errors());
    assertTrue(lines.get(0).contains("Failed to execute goal com.google.cloud.tools:jib-maven-plugin:"),
        "the Jib goal (with the extension) failed the module: " + lines.get(0));
    assertFalse(cases.jibTar(module).toFile().exists(), module + ": no image tar after the failure");
    return lines.get(0);
  }

  @Test
  void jibBuildTarBakesTheSameArtifactAndAgentLayersAsPierdatBuildTar() {
    ImageLayer jibArtifact = jibImage.layerContaining(JibSample.PATH).orElseThrow();
    ImageLayer pierdatArtifact = pierdatImage.layerContaining(JibSample.PATH).orElseThrow();
    assertEquals(pierdatArtifact.digest(), jibArtifact.digest(), "artifact layer digest");
    assertEquals(pierdatArtifact.diffId(), jibArtifact.diffId(), "artifact layer diff id");
    assertEquals(List.of(JibSample.PATH), jibArtifact.filePaths());
    assertEquals(SHA, jibArtifact.entry(JibSample.PATH).orElseThrow().sha256());
    assertEquals(0444, jibArtifact.entry(JibSample.PATH).orElseThrow().mode());
    assertEquals(pierdatImage.layerContaining(AGENT_JAR).orElseThrow().digest(),
        jibImage.layerContaining(AGENT_JAR).orElseThrow().digest(), "agent layer digest");
    assertEquals(artifactLabels(pierdatImage.config()), artifactLabels(jibImage.config()), "artifact labels");
    assertTrue(jibImage.file("/app/jib-classpath-file").isPresent(), "Jib's own layers are kept");
    appBuild.find("pierdat: 1 artifact layer\\(s\\) from io.github.pierdat:pierdat-maven-plugin <configuration>");
  }

  @Test
  void jibBuildTarMakesTheAgentRunJibsCommandAndKeepsArgsEnvAndJvmFlags() {
    ImageConfig config = jibImage.config();

    List<String> entrypoint = config.entrypoint();
    assertEquals(List.of("-jar", AGENT_JAR, "run", "--"),
        entrypoint.subList(entrypoint.size() - 4, entrypoint.size()), "entrypoint " + entrypoint);
    assertEquals(List.of(JibSample.PATH), config.cmd(), "Jib's args stay the image's cmd");
    assertTrue(config.env().contains("APP_MODE=jib"), "env " + config.env());
    JsonNode app = pierDat(jibImage).get("app");
    assertEquals(List.of("java", "-Dapp.greeting=hello-from-jvmflags", "-cp", "@/app/jib-classpath-file",
        "io.github.pierdat.it.jibapp.DataApp"), strings(app.get("entrypoint")), "pier.dat app " + app);
  }

  @Test
  void fetchesThroughTheSharedCacheOnlyOnce() {
    // jib:build fetched; jib:buildTar and pierdat:buildTar of the same run, then the separate jib-cases
    // build (its modules declare the same artifact), all found it in the cache.
    assertEquals(DATA.length, appBuildBytes, "bytes served for the jib-app build");
    assertEquals(2, appBuild.linesContaining("(1 from cache)").size(),
        "jib:buildTar and pierdat:buildTar after jib:build read the cache; log " + appBuild.logFile());
    appBuild.find("1 artifact\\(s\\), .*verified in .* \\(0 from cache\\)");
    casesImage("own-config");
    assertEquals(0, casesBuildBytes, "bytes served for the jib-cases build");
    cases().find("1 artifact\\(s\\), .*verified in .* \\(1 from cache\\)");
    assertEquals(List.of(SHA), List.copyOf(cache.verified().keySet()));
  }

  @Test
  void extensionsOwnConfigurationBakesTheArtifactWithoutThePierdatPlugin() {
    ImageTar image = casesImage("own-config");

    ImageLayer artifact = image.layerContaining(JibSample.PATH).orElseThrow();
    assertEquals(pierdatImage.layerContaining(JibSample.PATH).orElseThrow().digest(), artifact.digest(),
        "artifact layer digest, as pierdat:buildTar makes it");
    assertEquals(SHA, artifact.entry(JibSample.PATH).orElseThrow().sha256());
    assertEquals(artifactLabels(pierdatImage.config()), artifactLabels(image.config()), "artifact labels");
    cases().find("pierdat: 1 artifact layer\\(s\\) from the Jib extension's <configuration>, agent mode javaagent");
    assertEquals(List.of("java", "-javaagent:" + AGENT_JAR, "-Dapp.greeting=hello-from-jvmflags",
        "-cp", "@/app/jib-classpath-file", "io.github.pierdat.it.jibapp.DataApp"), image.config().entrypoint(),
        "<agentMode> of the extension's configuration");
  }

  @Test
  void jibMavenPlugin34BakesTheSameArtifactAndAgentLayersAs35() {
    ImageTar image = casesImage("jib-previous");

    cases().find("--- jib:" + Pattern.quote(ItEnvironment.jibPreviousVersion())
        + ":buildTar \\(default-cli\\) @ jib-previous ---");
    assertEquals(jibImage.layerContaining(JibSample.PATH).orElseThrow().digest(),
        image.layerContaining(JibSample.PATH).orElseThrow().digest(), "artifact layer digest");
    assertEquals(jibImage.layerContaining(AGENT_JAR).orElseThrow().digest(),
        image.layerContaining(AGENT_JAR).orElseThrow().digest(), "agent layer digest");
    assertEquals(jibImage.config().entrypoint(), image.config().entrypoint(), "entrypoint");
    assertEquals(jibImage.file("/etc/pier.dat").orElseThrow().sha256(),
        image.file("/etc/pier.dat").orElseThrow().sha256(), "pier.dat");
  }

  @Test
  void pierdatSkipLeavesJibsImageAlone() {
    ImageTar image = casesImage("pierdat-skip");

    assertTrue(image.layerContaining(JibSample.PATH).isEmpty(), "no artifact layer");
    assertTrue(image.file("/etc/pier.dat").isEmpty(), "no pier.dat");
    assertEquals("java", image.config().entrypoint().get(0));
    assertFalse(image.config().entrypoint().contains(AGENT_JAR), "entrypoint " + image.config().entrypoint());
    assertTrue(artifactLabels(image.config()).isEmpty(), "labels " + image.config().labels());
    assertTrue(image.file("/app/jib-classpath-file").isPresent(), "Jib's own layers");
  }

  @Test
  void refusesAnExtensionWithNoArtifactsAnywhere() {
    String error = casesFailure("no-artifacts");

    assertTrue(error.contains("the pierdat Jib extension has no artifacts to bake: neither the"
        + " io.github.pierdat:pierdat-maven-plugin <configuration> nor the extension's <configuration> has"
        + " <artifacts>"), error);
  }

  @Test
  void refusesArtifactsDeclaredBothInThePierdatPluginAndTheExtension() {
    String error = casesFailure("both-places");

    assertTrue(error.contains("artifacts are declared twice: in the io.github.pierdat:pierdat-maven-plugin"
        + " <configuration> and in the Jib extension's <configuration>"), error);
  }

  @Test
  void refusesAnArtifactInsideJibsAppRoot() {
    String error = casesFailure("app-root");

    assertTrue(error.contains("path /app/corpus.bin is inside /app, Jib's application root"), error);
  }

  @Test
  void refusesAnUnknownAgentMode() {
    String error = casesFailure("unknown-agent-mode");

    assertTrue(error.contains("-Dpierdat.agentMode is 'sidecar'; expected 'process'"), error);
  }

  @Test
  void jibBuildImageRunsTheAppUnderTheAgentAndSeedsTheArtifact() throws Exception {
    ImageConfig config = runAndCheck("process", PROCESS_IMAGE);

    assertEquals(jibImage.config().entrypoint(), config.entrypoint(), "jib:build and jib:buildTar agree");
  }

  @Test
  void javaagentModeRunsTheAgentInsideTheAppsJvm() throws Exception {
    String image = "it/jib-app:javaagent";
    app.build("compile", "jib:build").property("to", registry.reference(image)).property("agentMode", "javaagent")
        .run().assertSucceeded();
    ImageConfig config = runAndCheck("javaagent", image);

    assertEquals(List.of("java", "-javaagent:" + AGENT_JAR, "-Dapp.greeting=hello-from-jvmflags",
        "-cp", "@/app/jib-classpath-file", "io.github.pierdat.it.jibapp.DataApp"), config.entrypoint());
  }

  /** Runs the pushed image, checks the app and the seeder, stops it; returns the image's config. */
  private ImageConfig runAndCheck(String agentMode, String repositoryAndTag) throws Exception {
    String image = registry.reference(repositoryAndTag);
    int colon = repositoryAndTag.lastIndexOf(':');
    ImageConfig config = registry.config(
        registry.manifest(repositoryAndTag.substring(0, colon), repositoryAndTag.substring(colon + 1)));

    Podman podman = podman();
    int port = FreePort.find();
    int btPort = FreePort.find();
    String name = "jib-" + agentMode + "-" + port;
    podman.start(name, List.of("-e", "PIERDAT_HTTP_PORT=" + port, "-e", "PIERDAT_BT_PORT=" + btPort,
        "-e", "PIERDAT_BIND=127.0.0.1", "-e", "PIERDAT_BACKENDS=http,bittorrent", "--read-only"), image);
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
      String infohash = infohash(download("http://127.0.0.1:" + port + "/", podman, name));
      Path btDir = Files.createTempDirectory(ItEnvironment.work(), "qbt-" + agentMode + "-");
      try (Qbittorrent qbt = Qbittorrent.start(btDir)) {
        Path file = qbt.downloadFromPeer(infohash, Path.of(JibSample.PATH).getFileName().toString(),
            DATA.length, "127.0.0.1:" + btPort, Duration.ofSeconds(120));
        assertEquals(SHA, Sha256.hex(file), "artifact downloaded from the container over BitTorrent");
      } catch (AssertionError e) {
        throw new AssertionError("BitTorrent download from the " + agentMode + "-mode container failed; its logs:\n"
            + podman.logs(name), e);
      }

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

  /** The artifact's infohash from the agent's listing ({@code GET /}). */
  private static String infohash(byte[] listing) throws IOException {
    for (JsonNode seed : new ObjectMapper().readTree(listing).path("artifacts").path(0).path("seeds")) {
      if (seed.path("backend").asText().equals("bittorrent")) {
        return seed.path("params").path("infohash").asText();
      }
    }
    throw new AssertionError("no bittorrent seed in the agent's listing: " + new String(listing));
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
