package io.github.pierdat.backend.script;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.BackendProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Makes one {@link ScriptBackend} per {@code pierdat-check-<name>} executable on the PATH that has a
 * {@code pierdat-get-<name>} executable next to it; the first directory of the PATH that has a name wins,
 * as a shell would choose. The PATH is scanned each time {@link #backends()} is called (once per
 * {@link io.github.pierdat.backend.Backends#load()}). Registered with {@link java.util.ServiceLoader}.
 */
public final class ScriptBackendProvider implements BackendProvider {

  /** The prefix of check scripts. */
  public static final String CHECK_PREFIX = "pierdat-check-";
  /** The prefix of get scripts. */
  public static final String GET_PREFIX = "pierdat-get-";

  private static final Duration KILL_GRACE = Duration.ofSeconds(5);

  private final String path;

  /** For {@link java.util.ServiceLoader}: scans the PATH of this process. */
  public ScriptBackendProvider() {
    this(System.getenv("PATH"));
  }

  /** Scans {@code path} (directories separated by the platform's path separator); null scans nothing. */
  public ScriptBackendProvider(String path) {
    this.path = path == null ? "" : path;
  }

  @Override
  public List<Backend> backends() {
    return new ArrayList<>(scan().values());
  }

  /**
   * The script backend {@code script:<name>}: the one on the PATH, else one that can only seed (its seed
   * commands need no scripts, only the programs they name).
   */
  @Override
  public Optional<Backend> named(String name) {
    if (!name.startsWith(ScriptBackend.NAME_PREFIX)) {
      return Optional.empty();
    }
    String script = name.substring(ScriptBackend.NAME_PREFIX.length());
    if (!ScriptBackend.SCRIPT_NAME.matcher(script).matches()) {
      return Optional.empty();
    }
    ScriptBackend found = scan().get(script);
    return Optional.of(found != null ? found : new ScriptBackend(script, null, null, KILL_GRACE));
  }

  private Map<String, ScriptBackend> scan() {
    Map<String, ScriptBackend> found = new LinkedHashMap<>();
    for (String entry : path.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path directory;
      try {
        directory = Path.of(entry);
      } catch (InvalidPathException e) {
        continue;
      }
      if (!Files.isDirectory(directory)) {
        continue;
      }
      for (String script : checkScripts(directory)) {
        Path check = directory.resolve(CHECK_PREFIX + script);
        Path get = directory.resolve(GET_PREFIX + script);
        if (!found.containsKey(script) && runnable(check) && runnable(get)) {
          found.put(script, new ScriptBackend(script, check.toAbsolutePath(), get.toAbsolutePath(), KILL_GRACE));
        }
      }
    }
    return found;
  }

  private static TreeSet<String> checkScripts(Path directory) {
    TreeSet<String> names = new TreeSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, CHECK_PREFIX + "*")) {
      for (Path file : files) {
        String script = file.getFileName().toString().substring(CHECK_PREFIX.length());
        if (ScriptBackend.SCRIPT_NAME.matcher(script).matches()) {
          names.add(script);
        }
      }
    } catch (IOException | RuntimeException e) {
      // An unreadable PATH directory offers no scripts, as for a shell.
    }
    return names;
  }

  private static boolean runnable(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file);
  }
}
