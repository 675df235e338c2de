package io.github.pierdat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.ObjectName;

/**
 * HotSpot compiler directives for {@code pierdat get} of a BitTorrent source: C2, the optimizing compiler,
 * only for the code that hashes (the JDK's digests, which need C2 for the CPU's SHA instructions, and
 * pierdat's own classes); bt-core
 * and the other shaded libraries stay with C1. On a 2-core machine C2 otherwise spent ~4 s of CPU compiling
 * bt-core during a 1 GiB swarm download, a core taken from the download itself.
 *
 * <p>They are added the way {@code jcmd <pid> Compiler.directives_add} adds them, through the
 * DiagnosticCommand MBean, on a background thread (~0.2 s of CPU, mostly JMX start-up), so no JVM option is
 * needed. Best effort: skipped without a word on a JVM that lacks the MBean or the {@code java.management}
 * module; the command only runs slower then.
 */
final class JitDirectives {

  /** The directives in the agent jar (HotSpot's JSON-like format, JEP 165). */
  static final String RESOURCE = "/META-INF/pierdat/jit-directives.json";

  private JitDirectives() {}

  /**
   * Whether a {@code get} with these arguments downloads over BitTorrent, the only fetch that runs enough
   * library code for C2 to matter: for the others, starting JMX costs more than it saves.
   */
  static boolean worthIt(List<String> args) {
    return args.stream().anyMatch(a -> a.startsWith("magnet:") || a.startsWith("torrent+"));
  }

  /** Adds the directives on a daemon thread and returns at once. */
  static void addInBackground() {
    Thread thread = new Thread(JitDirectives::add, "pierdat-jit-directives");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Adds the directives now; what the JVM answered (e.g. {@code "3 compiler directives added"}), or an empty
   * string when they could not be added.
   */
  static String add() {
    return add(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** {@link #add()}, with the file the command reads written into {@code directory}. */
  static String add(Path directory) {
    Path file = null;
    try (InputStream in = JitDirectives.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "";
      }
      // The command reads a file; it is parsed before the call returns.
      file = Files.createTempFile(directory, "pierdat-jit", ".json");
      Files.write(file, in.readAllBytes());
      Object answer = invoke("compilerDirectivesAdd", file.toString());
      return answer == null ? "" : answer.toString().trim();
    } catch (Exception | LinkageError e) {
      // No such MBean or module (not HotSpot, a jlink'd runtime without java.management): run without them.
      return "";
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // A temporary file of a few hundred bytes stays behind.
        }
      }
    }
  }

  /** Runs a diagnostic command with one argument, as jcmd would; its output. */
  static Object invoke(String command, String argument) throws Exception {
    return ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), command,
        new Object[] {argument == null ? new String[0] : new String[] {argument}},
        new String[] {String[].class.getName()});
  }
}
