package io.github.pierdat.cli;

import io.github.pierdat.manifest.ImagePaths;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code pierdat} launcher: a POSIX sh script (dash, busybox ash) shipped in the agent jar as the
 * resource {@value #RESOURCE} that runs {@code java -jar <agent jar> "$@"}, so {@code RUN pierdat get ...}
 * in a Dockerfile reads like the original command. It honours {@code PIERDAT_JAR}, {@code PIERDAT_JAVA_OPTS}
 * and {@code JAVA_HOME}.
 */
final class Launcher {

  /** Where the script is in the agent jar. */
  static final String RESOURCE = "/META-INF/pierdat/pierdat";

  /** Characters that are safe inside the script's double-quoted default jar path. */
  private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9/._+@%,:=-]*");

  private Launcher() {}

  /** The script as shipped: its default jar is {@value ImagePaths#AGENT_JAR}. */
  static String script() throws IOException {
    try (InputStream in = Launcher.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("the launcher script " + RESOURCE + " is missing from the agent jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The script with {@code jar} as its default agent jar. */
  static String script(Path jar) throws IOException {
    String path = jar.toAbsolutePath().normalize().toString();
    if (!SAFE_PATH.matcher(path).matches()) {
      throw new IllegalArgumentException("the jar path " + path + " has characters the launcher cannot quote");
    }
    return script().replace("\"" + ImagePaths.AGENT_JAR + "\"", "\"" + path + "\"");
  }

  /** The jar this code runs from, if it runs from a jar file. */
  static Optional<Path> runningJar() {
    try {
      CodeSource source = Launcher.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return Optional.empty();
      }
      Path location = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(location) && location.toString().endsWith(".jar")
          ? Optional.of(location) : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
