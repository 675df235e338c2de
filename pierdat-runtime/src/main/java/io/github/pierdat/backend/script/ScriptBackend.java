package io.github.pierdat.backend.script;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.backend.Seeder;
import io.github.pierdat.hash.Sha256;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.ImagePaths;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.manifest.Sources;
import io.github.pierdat.fs.ScratchTree;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A backend made of executables, compatible with the original pierdat scripts:
 *
 * <ul>
 *   <li>{@code pierdat-check-<name> URI}: exit status 0 when this backend can fetch {@code URI} here and now
 *       (the old {@code check}); stopped after {@link #CHECK_TIMEOUT}.
 *   <li>{@code pierdat-get-<name> URI PATH}: writes the file at {@code PATH} and prints on stdout the
 *       command line(s) that seed it (the old {@code get}). {@code PATH} is a scratch file named like the
 *       artifact's file; its bytes are then streamed into the fetch target, so they are verified like those of
 *       every backend. In the printed lines, {@code PATH} and its directory are replaced by the artifact's
 *       path and directory. Stopped when it neither writes output nor grows {@code PATH} for the fetch's
 *       read timeout. Its stderr goes to the fetch log.
 *   <li>{@code pierdat-seed-<name>}: optional; a helper the printed lines may call.
 * </ul>
 *
 * The printed lines are stored in pier.dat as argument lists ({@link SeedCommands}) and run at run time by
 * {@link ScriptSeeder}, never through a shell. The backend's name is {@code script:<name>}.
 */
public final class ScriptBackend implements Backend {

  /** The prefix of every script backend's name. */
  public static final String NAME_PREFIX = "script:";
  /** How long a check script may take. */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

  static final Pattern SCRIPT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
  private static final int BUFFER_SIZE = 1 << 20;

  /** What a get script left for one set of bytes: its seed commands and the scratch paths they name. */
  private record Capture(List<List<String>> commands, String file, String directory) {}

  private final String script;
  private final Path checkScript;
  private final Path getScript;
  private final Duration killGrace;
  private final Map<String, Capture> captures = new ConcurrentHashMap<>();

  /**
   * @param script the name after {@code pierdat-check-}, e.g. {@code aria2}
   * @param checkScript the check executable, or null for a backend that only seeds
   * @param getScript the get executable, or null for a backend that only seeds
   */
  ScriptBackend(String script, Path checkScript, Path getScript, Duration killGrace) {
    if (!SCRIPT_NAME.matcher(script).matches()) {
      throw new IllegalArgumentException("script backend name '" + script + "' must match " + SCRIPT_NAME);
    }
    this.script = script;
    this.checkScript = checkScript;
    this.getScript = getScript;
    this.killGrace = Objects.requireNonNull(killGrace);
  }

  @Override
  public String name() {
    return NAME_PREFIX + script;
  }

  @Override
  public Set<String> schemes() {
    // Which URIs a script takes is known only by asking it.
    return Set.of();
  }

  @Override
  public boolean accepts(URI source) {
    if (checkScript == null || getScript == null) {
      return false;
    }
    try {
      ScriptRun.Result result = ScriptRun.of(List.of(checkScript.toString(), source.toString()))
          .totalTimeout(CHECK_TIMEOUT).killGrace(killGrace).run();
      return result.exitCode() == 0;
    } catch (IOException | ScriptRun.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void fetch(URI source, FetchTarget target, FetchContext context) throws FetchException, IOException {
    if (getScript == null) {
      throw new FetchException("backend " + name() + " has no pierdat-get-" + script + " on the PATH");
    }
    String shown = Sources.redact(source);
    String program = getScript.getFileName().toString();
    Path directory = Files.createTempDirectory("pierdat-" + script + "-");
    Path file = directory.resolve(target.imagePath().map(ImagePaths::fileName).orElse("artifact"));
    try {
      ScriptRun.Result result;
      try {
        result = ScriptRun.of(List.of(getScript.toString(), source.toString(), file.toString()))
            .idleTimeout(context.readTimeout()).killGrace(killGrace).watch(file)
            .stderrLines(line -> context.log().info("[pierdat] " + program + ": " + line))
            .run();
      } catch (ScriptRun.TimeoutException e) {
        throw new FetchException(program + " " + shown + " " + e.getMessage() + "; "
            + e.stderr().describe("stderr lines"), true, null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(program + " was interrupted");
      } catch (IOException e) {
        throw new FetchException("cannot run " + getScript + ": " + e.getMessage(), e);
      }
      if (result.exitCode() != 0) {
        throw new FetchException(program + " " + shown + " exited with code " + result.exitCode() + "; "
            + result.stderr().describe("stderr lines"));
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new FetchException(program + " " + shown + " exited with code 0 but did not write a regular file at"
            + " its PATH argument (" + file + "); a pierdat artifact is one file");
      }
      if (result.stdoutTruncated()) {
        throw new FetchException(program + " printed more than 64 KiB on stdout; it must print only the seed"
            + " command lines there (progress and messages go to stderr)");
      }
      List<List<String>> commands;
      try {
        commands = SeedCommands.parse(result.stdout());
      } catch (IllegalArgumentException e) {
        throw new FetchException(program + " printed a seed command that cannot be read: " + e.getMessage());
      }
      String sha256 = copy(file, target);
      captures.put(sha256, new Capture(commands, file.toString(), directory.toString()));
    } finally {
      ScratchTree.deleteQuietly(directory);
    }
  }

  /**
   * This backend's seed commands for {@code artifact}, when its get script delivered exactly these bytes;
   * the scratch paths in them replaced by the artifact's path and directory.
   */
  @Override
  public Optional<SeedEntry> seedSpec(ArtifactEntry artifact, Path file) {
    Capture capture = captures.get(artifact.sha256());
    if (capture == null || capture.commands().isEmpty()) {
      return Optional.empty();
    }
    String path = artifact.path();
    int slash = path.lastIndexOf('/');
    String parent = slash <= 0 ? "/" : path.substring(0, slash);
    List<List<String>> commands = new ArrayList<>();
    for (List<String> command : capture.commands()) {
      commands.add(command.stream()
          .map(word -> word.replace(capture.file(), path).replace(capture.directory(), parent))
          .toList());
    }
    return Optional.of(new SeedEntry(name(), SeedCommands.toParams(commands)));
  }

  /** One seeder running every seed command of every artifact of this backend. */
  @Override
  public Optional<Seeder> seeder(List<SeededArtifact> artifacts, SeedContext context) {
    List<ScriptSeeder.Command> commands = new ArrayList<>();
    for (SeededArtifact artifact : artifacts) {
      List<List<String>> argvs;
      try {
        argvs = SeedCommands.fromParams(artifact.seed().params());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("artifact " + artifact.artifact().name() + ": " + e.getMessage(), e);
      }
      argvs.forEach(argv -> commands.add(new ScriptSeeder.Command(artifact.artifact().name(), argv)));
    }
    if (commands.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ScriptSeeder(name(), commands, killGrace));
  }

  /** Streams the script's file into the target (scripts cannot resume), returning its sha256. */
  private static String copy(Path file, FetchTarget target) throws IOException {
    if (target.position() > 0) {
      target.reset();
    }
    MessageDigest digest = Sha256.newDigest();
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      target.expectSize(in.size());
      while (in.read(buffer) >= 0) {
        buffer.flip();
        digest.update(buffer.array(), 0, buffer.limit());
        while (buffer.hasRemaining()) {
          target.write(buffer);
        }
        buffer.clear();
      }
    }
    return Sha256.hex(digest.digest());
  }

  @Override
  public String toString() {
    return "ScriptBackend[" + name() + ", get=" + getScript + "]";
  }
}
