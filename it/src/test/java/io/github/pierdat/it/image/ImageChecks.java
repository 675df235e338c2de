package io.github.pierdat.it.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.it.fixture.ImageConfig;
import io.github.pierdat.it.fixture.ImageLayer;
import io.github.pierdat.it.fixture.ItEnvironment;
import io.github.pierdat.it.fixture.Sha256;
import io.github.pierdat.it.fixture.TarEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/** Checks of what the plugin promises about the images it builds (the plugin contract). */
final class ImageChecks {

  static final String AGENT_JAR = "/opt/pierdat/pierdat-agent.jar";
  static final String PIER_DAT = "/etc/pier.dat";
  static final String LABEL_PREFIX = "io.github.pierdat.artifact.";

  private ImageChecks() {}

  /** The layer holds exactly one file, the artifact at {@code path}, read-only, with exactly these bytes. */
  static void assertArtifactLayer(ImageLayer layer, String path, byte[] data) {
    assertEquals(List.of(path), layer.filePaths(), "an artifact layer holds its artifact and nothing else");
    TarEntry entry = layer.entry(path).orElseThrow();
    assertEquals(Sha256.hex(data), entry.sha256(), "sha256 of " + path + " in the image");
    assertEquals(data.length, entry.size(), "size of " + path + " in the image");
    assertEquals(0444, entry.mode(), "mode of " + path + " is " + entry.octalMode() + "; expected 444");
  }

  /** The index {@code i} of the {@code io.github.pierdat.artifact.<i>.path} label equal to {@code path}. */
  static String labelIndex(Map<String, String> labels, String path) {
    return labels.entrySet().stream()
        .filter(e -> e.getKey().startsWith(LABEL_PREFIX) && e.getKey().endsWith(".path") && e.getValue().equals(path))
        .map(e -> e.getKey().substring(LABEL_PREFIX.length(), e.getKey().length() - ".path".length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no label " + LABEL_PREFIX + "<i>.path=" + path + " in " + labels));
  }

  /** The artifact's labels: path, sha256, size and name, under one index. */
  static void assertArtifactLabels(Map<String, String> labels, String path, byte[] data, String name) {
    String prefix = LABEL_PREFIX + labelIndex(labels, path) + ".";
    assertEquals(Sha256.hex(data), labels.get(prefix + "sha256"), prefix + "sha256 in " + labels);
    assertEquals(String.valueOf(data.length), labels.get(prefix + "size"), prefix + "size in " + labels);
    assertEquals(name, labels.get(prefix + "name"), prefix + "name in " + labels);
  }

  /** The entrypoint is {@code ["java", …, "-jar", AGENT_JAR, "run", "--"]}. */
  static void assertAgentEntrypoint(ImageConfig config) {
    List<String> entrypoint = config.entrypoint();
    assertTrue(entrypoint.size() >= 5, "entrypoint " + entrypoint);
    assertEquals("java", entrypoint.get(0), "entrypoint " + entrypoint);
    int jar = entrypoint.indexOf("-jar");
    assertTrue(jar > 0 && AGENT_JAR.equals(entrypoint.get(jar + 1)), "entrypoint " + entrypoint);
    assertEquals(List.of("run", "--"), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()),
        "entrypoint " + entrypoint);
  }

  /** The sha256 of the agent jar the plugin under test embeds (and so puts in every image). */
  static String agentJarSha256() {
    String version = ItEnvironment.pierdatVersion();
    Path jar = ItEnvironment.itRepository().resolve("io/github/pierdat/pierdat-maven-plugin/" + version
        + "/pierdat-maven-plugin-" + version + ".jar");
    try (ZipFile zip = new ZipFile(jar.toFile());
        InputStream in = zip.getInputStream(zip.getEntry("META-INF/pierdat/pierdat-agent.jar"))) {
      return Sha256.hex(in);
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("cannot read the agent jar embedded in " + jar + ": " + e, e);
    }
  }

  /**
   * pierdat's own layers (on top of the artifact layers; one or more): they hold the agent jar,
   * byte-identical to the one the plugin embeds, and pier.dat, identical to target/pierdat/pier.dat, and
   * nothing outside pierdat's own paths.
   */
  static void assertPierdatLayers(List<ImageLayer> layers, byte[] pierDat) {
    assertTrue(!layers.isEmpty(), "no pierdat layers on top of the artifact layers");
    TarEntry agent = null;
    TarEntry manifest = null;
    for (ImageLayer layer : layers) {
      for (TarEntry file : layer.files()) {
        assertTrue(file.path().startsWith("/opt/pierdat/") || file.path().equals(PIER_DAT),
            "pierdat layer " + layer.digest() + " holds " + file.path());
      }
      agent = layer.entry(AGENT_JAR).orElse(agent);
      manifest = layer.entry(PIER_DAT).orElse(manifest);
    }
    assertTrue(agent != null, "no " + AGENT_JAR + " in the pierdat layers");
    assertTrue(manifest != null, "no " + PIER_DAT + " in the pierdat layers");
    assertEquals(agentJarSha256(), agent.sha256(), "agent jar in the image");
    assertEquals(Sha256.hex(pierDat), manifest.sha256(), PIER_DAT + " in the image differs from target/pierdat/pier.dat");
  }

  static byte[] read(Path file) {
    try {
      return java.nio.file.Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
