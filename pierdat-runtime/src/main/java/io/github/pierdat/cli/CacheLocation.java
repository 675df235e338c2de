package io.github.pierdat.cli;

import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.fs.ScratchTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where {@code pierdat get} keeps its artifact cache: {@code --cache DIR}, else {@code $PIERDAT_CACHE},
 * else {@code $XDG_CACHE_HOME/pierdat}, else {@code ~/.cache/pierdat}. A directory given explicitly must be
 * usable; when the default one cannot be created or written (a read-only or missing home, an unknown
 * user), and with {@code --no-cache}, a temporary cache is used and deleted afterwards.
 */
final class CacheLocation implements AutoCloseable {

  private final Path root;
  private final boolean temporary;

  private CacheLocation(Path root, boolean temporary) {
    this.root = root;
    this.temporary = temporary;
  }

  /**
   * Chooses the cache for these options and environment.
   *
   * @throws UsageException when an explicitly given directory cannot be used
   * @throws IOException when not even a temporary directory can be made
   */
  static CacheLocation choose(GetOptions options, Map<String, String> env, FetchLog log)
      throws UsageException, IOException {
    if (options.noCache()) {
      return temporaryCache();
    }
    if (options.cache() != null) {
      return explicit(options.cache(), "--cache");
    }
    String fromEnv = env.get("PIERDAT_CACHE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return explicit(Path.of(fromEnv.trim()), "PIERDAT_CACHE");
    }
    Path fallback = defaultRoot(env);
    if (fallback != null && usable(fallback)) {
      return new CacheLocation(fallback.toAbsolutePath(), false);
    }
    CacheLocation temp = temporaryCache();
    log.info("[pierdat] cannot use the cache " + (fallback == null ? "~/.cache/pierdat (no home directory)"
        : fallback) + "; using a temporary one (set PIERDAT_CACHE or --cache to keep downloads)");
    return temp;
  }

  Path root() {
    return root;
  }

  boolean temporary() {
    return temporary;
  }

  private static CacheLocation explicit(Path dir, String where) throws UsageException {
    if (!usable(dir)) {
      throw new UsageException(where + " '" + dir + "' cannot be used as the cache: it cannot be created or "
          + "is not a writable directory; give a writable directory or use --no-cache");
    }
    return new CacheLocation(dir.toAbsolutePath(), false);
  }

  private static CacheLocation temporaryCache() throws IOException {
    return new CacheLocation(Files.createTempDirectory("pierdat-cache-"), true);
  }

  private static Path defaultRoot(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && xdg.startsWith("/")) {
      return Path.of(xdg, "pierdat");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    if (home == null || !home.startsWith("/")) {
      return null;
    }
    return Path.of(home, ".cache", "pierdat");
  }

  private static boolean usable(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException | SecurityException e) {
      return false;
    }
    return Files.isDirectory(dir) && Files.isWritable(dir);
  }

  /** Deletes a temporary cache; keeps any other. */
  @Override
  public void close() {
    if (!temporary) {
      return;
    }
    ScratchTree.deleteQuietly(root);
  }
}
