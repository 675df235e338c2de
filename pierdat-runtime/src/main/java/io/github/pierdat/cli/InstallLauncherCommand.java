package io.github.pierdat.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * {@code install-launcher [DIR]}: writes the {@code pierdat} launcher script to DIR (default
 * {@value #DEFAULT_DIR}), mode 0755, atomically, replacing an earlier one. When the agent runs from a jar
 * file, the launcher's default jar is that file, so a Dockerfile needs only the jar:
 * {@code RUN java -jar /opt/pierdat/pierdat-agent.jar install-launcher /usr/bin}.
 */
final class InstallLauncherCommand {

  static final String DEFAULT_DIR = "/usr/local/bin";

  private final PrintStream out;
  private final PrintStream err;
  private final Optional<Path> jar;

  InstallLauncherCommand(PrintStream out, PrintStream err, Optional<Path> jar) {
    this.out = out;
    this.err = err;
    this.jar = jar;
  }

  int run(List<String> args) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(usage());
      return 0;
    }
    if (args.size() > 1 || (args.size() == 1 && args.get(0).startsWith("-"))) {
      err.println("pierdat: install-launcher takes at most one argument, the directory; got " + String.join(" ", args));
      err.print(usage());
      return Main.EXIT_USAGE;
    }
    Path dir = Path.of(args.isEmpty() ? DEFAULT_DIR : args.get(0)).toAbsolutePath().normalize();
    Path target = dir.resolve("pierdat");
    if (Files.isDirectory(target)) {
      err.println("pierdat: cannot install the launcher: " + target + " is a directory");
      return GetCommand.EXIT_FAILED;
    }
    try {
      String script = jar.isPresent() ? Launcher.script(jar.get()) : Launcher.script();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".pierdat", ".tmp");
      try {
        Files.writeString(temp, script, StandardCharsets.UTF_8);
        PosixFileAttributeView posix = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        if (posix != null) {
          posix.setPermissions(PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException | RuntimeException e) {
      err.println("pierdat: cannot install the launcher in " + dir + ": " + e.getMessage());
      return GetCommand.EXIT_FAILED;
    }
    out.println("installed " + target + (jar.map(j -> " (runs " + j.toAbsolutePath().normalize() + ")").orElse("")));
    return 0;
  }

  static String usage() {
    return "usage: pierdat install-launcher [DIR]\n\n"
        + "  Writes the pierdat launcher script to DIR/pierdat (default " + DEFAULT_DIR + "), mode 0755.\n"
        + "  It runs: java $PIERDAT_JAVA_OPTS -jar $PIERDAT_JAR \"$@\" (PIERDAT_JAR defaults to this jar).\n";
  }
}
