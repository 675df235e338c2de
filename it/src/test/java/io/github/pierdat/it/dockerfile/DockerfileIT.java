package io.github.pierdat.it.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.Fixtures;
import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.Http;
import io.github.pierdat.it.fixture.ItEnvironment;
import io.github.pierdat.it.fixture.JavaBaseImage;
import io.github.pierdat.it.fixture.Origin;
import io.github.pierdat.it.fixture.Podman;
import io.github.pierdat.it.fixture.ProcessResult;
import io.github.pierdat.it.fixture.Registry;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TestData;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Dockerfile path: {@code examples/dockerfile/Dockerfile} itself, built by a real {@code podman build}
 * (buildah) from the Java base image in the test registry, with {@code RUN pierdat get --sha256 ... URL
 * /data/model.bin} against a loopback origin ({@code --network=host}). The image then runs in podman and its
 * agent serves the artifact over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerfileIT {

  private static final byte[] DATA = TestData.random(2 * 1024 * 1024 + 99, 707);
  private static final String SHA = Sha256.hex(DATA);
  private static final String IMAGE = "localhost/it/dockerfile-model:1";

  private Registry registry;
  private Origin origin;
  private Podman podman;
  private Path context;
  private String base;
  private ProcessResult build;
  private int originGets;

  @BeforeAll
  void buildTheExampleDockerfile() {
    registry = Registry.start();
    origin = Origin.start().serve("/model.bin", DATA);
    base = JavaBaseImage.get().pushTo(registry, "base/java:17");
    podman = Podman.start();
    context = buildContext();
    build = podmanBuild(IMAGE, SHA);
    originGets = origin.gets("/model.bin").size();
  }

  @AfterAll
  void stop() {
    Fixtures.closeAll(podman, origin, registry);
  }


  @Test
  void runStepFetchesVerifiesAndRecordsTheArtifact() {
    assertEquals(0, build.exitCode(), build.toString());
    String output = build.stdout() + build.stderr();
    assertTrue(output.contains("[pierdat] model.bin: 2.00 MiB from " + origin.url("/model.bin")), output);
    assertTrue(output.contains("[pierdat] model.bin: /data/model.bin (2.00 MiB, sha256 " + SHA
        + ") recorded in /etc/pier.dat with seeds: "), output);
    assertEquals(1, originGets, "fetched once");
  }

  @Test
  void imagePierDatListsTheArtifactWithItsSourceAndHttpSeed() throws Exception {
    ProcessResult cat = podman.run(List.of("--entrypoint", "cat"), IMAGE, "/etc/pier.dat").assertSucceeded();
    Path copy = Files.writeString(Files.createTempFile(context.getParent(), "pier", ".dat"), cat.stdout());

    PierDat pierDat = PierDatCodec.read(copy);

    assertEquals(1, pierDat.artifacts().size(), cat.stdout());
    ArtifactEntry entry = pierDat.artifacts().get(0);
    assertEquals("/data/model.bin", entry.path());
    assertEquals(SHA, entry.sha256());
    assertEquals(DATA.length, entry.size());
    assertEquals(List.of(origin.url("/model.bin")), entry.sources());
    assertEquals("/artifacts/" + SHA, entry.seed("http").orElseThrow().param("path"));
  }

  @Test
  void runningImageServesTheArtifactFromItsAgentAndRunsItsCmd() {
    int port = FreePort.find();
    String container = podman.start("it-dockerfile-" + port,
        List.of("--read-only", "-e", "PIERDAT_HTTP_PORT=" + port), IMAGE);
    try {
      Http.awaitOk("http://127.0.0.1:" + port + "/healthz", Duration.ofSeconds(60), () -> podman.logs(container));

      byte[] served = Http.get("http://127.0.0.1:" + port + "/artifacts/" + SHA);
      byte[] byPath = Http.get("http://127.0.0.1:" + port + "/data/model.bin");

      assertEquals(SHA, Sha256.hex(served));
      assertEquals(SHA, Sha256.hex(byPath));
      assertTrue(podman.logs(container).contains(SHA + "  /data/model.bin"),
          "the Dockerfile's CMD runs under the agent: " + podman.logs(container));
      String uid = podman.podman(Duration.ofSeconds(30), "exec", container, "id", "-u").assertSucceeded().stdout();
      assertEquals("1000", uid.trim(), "USER 1000 from the Dockerfile");
    } finally {
      podman.remove(container);
    }
  }

  @Test
  void wrongSha256FailsTheRunStepClearlyAndBuildsNoImage() {
    String wrong = "0".repeat(64);
    String image = "localhost/it/dockerfile-wrong:1";

    ProcessResult failed = podmanBuild(image, wrong);

    assertNotEquals(0, failed.exitCode(), failed.toString());
    String output = failed.stdout() + failed.stderr();
    assertTrue(output.contains("pierdat: artifact model.bin (sha256 " + wrong + ") could not be fetched"), output);
    assertTrue(output.contains("sha256 mismatch: expected " + wrong + ", got " + SHA), output);
    assertTrue(output.contains("(nothing was written to /data/model.bin or /etc/pier.dat)"), output);
    assertEquals(1, podman.podman(Duration.ofSeconds(30), "image", "exists", image).exitCode(),
        "no image was tagged " + image);
  }

  private ProcessResult podmanBuild(String image, String sha256) {
    List<String> args = new ArrayList<>(List.of("build", "--network=host", "--no-cache", "--tls-verify=false",
        "--build-arg", "BASE_IMAGE=" + base,
        "--build-arg", "MODEL_URL=" + origin.url("/model.bin"),
        "--build-arg", "MODEL_SHA256=" + sha256,
        "--build-arg", "PEERS=",
        "-t", image, context.toString()));
    return podman.podman(Duration.ofMinutes(5), args.toArray(String[]::new));
  }

  /** The example's Dockerfile as committed, with the agent jar the plugin under test embeds next to it. */
  private static Path buildContext() {
    Path example = repositoryRoot().resolve("examples/dockerfile/Dockerfile");
    try {
      Path dir = Files.createTempDirectory(ItEnvironment.work(), "dockerfile-").resolve("context");
      Files.createDirectories(dir);
      Files.copy(example, dir.resolve("Dockerfile"));
      String version = ItEnvironment.pierdatVersion();
      Path plugin = ItEnvironment.itRepository().resolve("io/github/pierdat/pierdat-maven-plugin/" + version
          + "/pierdat-maven-plugin-" + version + ".jar");
      try (ZipFile zip = new ZipFile(plugin.toFile());
          InputStream in = zip.getInputStream(zip.getEntry("META-INF/pierdat/pierdat-agent.jar"))) {
        Files.copy(in, dir.resolve("pierdat-agent.jar"), StandardCopyOption.REPLACE_EXISTING);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the build context from " + example, e);
    }
  }

  /** The repository's root: the sample projects are at {@code it/src/test/projects} under it. */
  private static Path repositoryRoot() {
    Path root = ItEnvironment.projects().toAbsolutePath().normalize().getParent().getParent().getParent().getParent();
    if (!Files.isRegularFile(root.resolve("examples/dockerfile/Dockerfile"))) {
      throw new IllegalStateException("no examples/dockerfile/Dockerfile under " + root);
    }
    return root;
  }
}
