package io.github.pierdat.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether finished files are forced to disk before they are renamed into place. Off by default, as in
 * Maven's local repository and Jib's cache: a process that dies (even by {@code kill -9}) loses nothing
 * it wrote, since the bytes are in the page cache, and forcing a GiB costs about a second of disk time per
 * download. Only a power loss or kernel crash right after a download could leave a cached file whose bytes
 * never reached the disk; set the system property {@code pierdat.fsync=true} (Maven: {@code -Dpierdat.fsync};
 * the {@code pierdat} command: {@code PIERDAT_JAVA_OPTS=-Dpierdat.fsync=true}) where that matters.
 */
public final class Durability {

  /** The system property that turns forcing on. */
  public static final String PROPERTY = "pierdat.fsync";

  private Durability() {}

  /** True when files are to be forced to disk. */
  public static boolean enabled() {
    return Boolean.getBoolean(PROPERTY);
  }

  /** Forces {@code channel}'s bytes to disk when {@link #enabled()}. */
  public static void force(FileChannel channel) throws IOException {
    if (enabled()) {
      channel.force(true);
    }
  }

  /** Makes a rename in {@code directory} durable when {@link #enabled()}; best effort (not every platform can). */
  public static void syncDirectory(Path directory) {
    if (!enabled()) {
      return;
    }
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // durability only: e.g. Windows cannot open a directory
    }
  }
}
