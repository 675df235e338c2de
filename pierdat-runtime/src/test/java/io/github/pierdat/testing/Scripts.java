package io.github.pierdat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The backend scripts of src/test/resources/io/github/pierdat/scripts, copied into a directory with their
 * executable bits (resources lose them when Maven copies them).
 */
public final class Scripts {

  /** Every fixture script. */
  public static final List<String> ALL = List.of(
      "pierdat-check-aria2", "pierdat-get-aria2",
      "pierdat-check-evil", "pierdat-get-evil", "pierdat-seed-evil",
      "pierdat-check-broken", "pierdat-get-broken");

  private Scripts() {}

  /** Copies {@code names} into {@code dir} (created), mode 0755, and returns {@code dir}. */
  public static Path install(Path dir, List<String> names) throws IOException {
    Files.createDirectories(dir);
    for (String name : names) {
      try (InputStream in = Scripts.class.getResourceAsStream("/io/github/pierdat/scripts/" + name)) {
        if (in == null) {
          throw new IOException("no fixture script " + name);
        }
        Path file = dir.resolve(name);
        Files.write(file, in.readAllBytes());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    return dir;
  }

  /** {@code dir} in front of this process's PATH. */
  public static String path(Path dir) {
    String path = System.getenv("PATH");
    return dir + (path == null || path.isEmpty() ? "" : ":" + path);
  }
}
