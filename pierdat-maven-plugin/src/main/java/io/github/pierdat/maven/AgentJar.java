package io.github.pierdat.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The shaded agent jar this plugin carries (every image gets it), extracted once to a content-addressed
 * file in the cache: Jib keys its layer cache on path and mtime, so a fixed path per content lets it skip
 * re-compressing the layer.
 */
public final class AgentJar {

  /** Where the plugin jar carries the agent jar. */
  public static final String RESOURCE = "/META-INF/pierdat/pierdat-agent.jar";

  private AgentJar() {}

  /** The agent jar as a file under {@code cacheRoot/agent}, extracted if it is not there yet. */
  public static Path extract(Path cacheRoot) throws IOException {
    try (InputStream in = AgentJar.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("this pierdat-maven-plugin has no agent jar at " + RESOURCE + "; it was built incorrectly");
      }
      byte[] jar = in.readAllBytes();
      Path dir = cacheRoot.resolve("agent");
      Path file = dir.resolve("pierdat-agent-" + shortSha256(jar) + ".jar");
      if (!Files.isRegularFile(file)) {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "agent", ".tmp");
        try {
          Files.write(temp, jar);
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(temp);
        }
      }
      return file;
    } catch (IOException e) {
      throw new IOException("cannot extract the agent jar into " + cacheRoot + ": " + e.getMessage(), e);
    }
  }

  private static String shortSha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
