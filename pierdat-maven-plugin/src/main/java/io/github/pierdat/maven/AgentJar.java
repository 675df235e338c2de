package io.github.pierdat.maven;

import io.github.pierdat.PierdatVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.JarEntry;

/**
 * The shaded agent jar this plugin carries (every image gets it), extracted once per plugin build into the
 * cache together with its sha256, so a build neither reads nor hashes the 7 MB again: the layer is staged
 * under that sha256 (Jib keys its layer cache on path and mtime, so a fixed path per content lets it skip
 * re-compressing the layer).
 *
 * <p>The extracted copy is found by the plugin's version and the CRC-32 and size the plugin jar records for
 * the resource (free to read), not by hashing it: the key only has to tell this plugin build's agent jar from
 * another's, and a copy whose size differs from the recorded one is extracted again.
 */
public final class AgentJar {

  /** Where the plugin jar carries the agent jar. */
  public static final String RESOURCE = "/META-INF/pierdat/pierdat-agent.jar";

  private static final String JAR = "pierdat-agent.jar";
  private static final String SHA256 = "sha256";

  /**
   * The extracted agent jar.
   *
   * @param file the jar in the cache
   * @param sha256 its sha256, lowercase hex
   */
  public record Extracted(Path file, String sha256) {}

  private AgentJar() {}

  /** The agent jar as a file under {@code cacheRoot/agent}, extracted if it is not there yet. */
  public static Extracted extract(Path cacheRoot) throws IOException {
    URL resource = AgentJar.class.getResource(RESOURCE);
    if (resource == null) {
      throw new IOException("this pierdat-maven-plugin has no agent jar at " + RESOURCE + "; it was built incorrectly");
    }
    try {
      Path agents = cacheRoot.resolve("agent");
      JarEntry entry = entry(resource);
      String key = entry == null ? null : key(entry);
      long size = entry == null ? -1 : entry.getSize();
      if (key != null) {
        Extracted known = find(agents.resolve(key), size);
        if (known != null) {
          return known;
        }
      }
      byte[] jar;
      try (InputStream in = resource.openStream()) {
        jar = in.readAllBytes();
      }
      String sha256 = sha256(jar);
      Path dir = agents.resolve(key != null ? key : sha256.substring(0, 16));
      Extracted known = find(dir, jar.length);
      return known != null ? known : write(dir, jar, sha256);
    } catch (IOException e) {
      throw new IOException("cannot extract the agent jar into " + cacheRoot + ": " + e.getMessage(), e);
    }
  }

  /** The resource's jar entry when it is read from a jar that records its CRC-32 and size, else null. */
  private static JarEntry entry(URL resource) throws IOException {
    URLConnection connection = resource.openConnection();
    if (!(connection instanceof JarURLConnection jarConnection)) {
      return null;
    }
    jarConnection.setUseCaches(false);
    JarEntry entry = jarConnection.getJarEntry();
    try {
      return entry == null || entry.getCrc() < 0 || entry.getSize() < 0 ? null : entry;
    } finally {
      jarConnection.getJarFile().close();
    }
  }

  /** {@code <plugin version>-<crc32>-<size>}: a directory name. */
  static String key(JarEntry entry) {
    String version = PierdatVersion.get().replaceAll("[^A-Za-z0-9._-]", "_");
    return version + "-" + Long.toHexString(entry.getCrc()) + "-" + entry.getSize();
  }

  /** The copy extracted into {@code dir}, if it is complete: its jar has {@code size} bytes (-1: unknown). */
  private static Extracted find(Path dir, long size) throws IOException {
    Path jar = dir.resolve(JAR);
    Path sha = dir.resolve(SHA256);
    if (!Files.isRegularFile(jar) || !Files.isRegularFile(sha) || (size >= 0 && Files.size(jar) != size)) {
      return null;
    }
    String hex = Files.readString(sha, StandardCharsets.US_ASCII).trim();
    return hex.matches("[0-9a-f]{64}") ? new Extracted(jar, hex) : null;
  }

  /** Writes the jar and its sha256 into a temporary directory and renames it to {@code dir}. */
  private static Extracted write(Path dir, byte[] jar, String sha256) throws IOException {
    Files.createDirectories(dir.getParent());
    Path temp = Files.createTempDirectory(dir.getParent(), ".agent");
    try {
      Files.write(temp.resolve(JAR), jar);
      Files.writeString(temp.resolve(SHA256), sha256, StandardCharsets.US_ASCII);
      try {
        Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // Another build extracted the same jar meanwhile: use its copy. An incomplete copy (a damaged cache) is
        // replaced.
        Extracted other = find(dir, jar.length);
        if (other != null) {
          return other;
        }
        removeCopy(dir);
        Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
      }
      return new Extracted(dir.resolve(JAR), sha256);
    } finally {
      if (Files.isDirectory(temp)) {
        removeCopy(temp);
      }
    }
  }

  private static void removeCopy(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(JAR));
    Files.deleteIfExists(dir.resolve(SHA256));
    Files.deleteIfExists(dir);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
