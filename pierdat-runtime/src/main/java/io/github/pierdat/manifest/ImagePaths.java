package io.github.pierdat.manifest;

import java.util.Optional;

/** Rules for where an artifact may live in an image. */
public final class ImagePaths {

  /** Where pierdat keeps its own files in the image. */
  public static final String PIERDAT_HOME = "/opt/pierdat";
  /** Where the agent finds pier.dat in the image. */
  public static final String PIER_DAT = "/etc/pier.dat";
  /** The agent jar in the image. */
  public static final String AGENT_JAR = PIERDAT_HOME + "/pierdat-agent.jar";

  private ImagePaths() {}

  /**
   * Why {@code path} cannot hold an artifact, or empty if it can: it must be absolute, normalized (no
   * {@code .}, {@code ..}, empty segments or trailing slash), and stay clear of pierdat's own files.
   */
  public static Optional<String> problem(String path) {
    if (path == null || path.isBlank()) {
      return Optional.of("is empty; expected an absolute path in the image such as /data/model.bin");
    }
    if (!path.startsWith("/")) {
      return Optional.of("is not absolute; expected a path starting with / such as /data/model.bin");
    }
    if (path.equals("/") || path.endsWith("/")) {
      return Optional.of("names a directory; expected the path of a file such as /data/model.bin");
    }
    if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
      return Optional.of(
          "contains a NUL or backslash character; expected a path with / separators such as /data/model.bin");
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return Optional.of("is not normalized (empty, '.' or '..' segment); write it without them");
      }
    }
    if (path.equals(PIERDAT_HOME) || path.startsWith(PIERDAT_HOME + "/")) {
      return Optional.of("is inside " + PIERDAT_HOME + ", which pierdat reserves for its agent");
    }
    if (path.equals(PIER_DAT)) {
      return Optional.of("is " + PIER_DAT + ", which pierdat reserves for its manifest");
    }
    return Optional.empty();
  }

  /** The last segment of an absolute path. */
  public static String fileName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /** True if one path is the other or lies below it (a file cannot also be a directory). */
  public static boolean overlap(String a, String b) {
    return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
  }
}
