package io.github.pierdat.cli;

import io.github.pierdat.PierdatVersion;
import io.github.pierdat.agent.Agent;
import io.github.pierdat.agent.settings.EnvOverrides;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The agent jar's entry point: {@code run} (the default), {@code status}, {@code get},
 * {@code install-launcher}, {@code --help}, {@code --version}. The image's entrypoint is
 * {@code java -jar /opt/pierdat/pierdat-agent.jar run -- CMD...} (or {@code pierdat run -- CMD...} through the
 * launcher script).
 */
public final class Main {

  /** Exit code for a usage error (unknown command or option). */
  public static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("get") && JitDirectives.worthIt(Arrays.asList(args))) {
      try {
        JitDirectives.addInBackground();
      } catch (LinkageError e) {
        // A runtime without java.management: get runs without the directives.
      }
    }
    System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
  }

  /** Runs one command and returns the process's exit code. */
  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      return new Agent(env).run(List.of());
    }
    String first = args.get(0);
    List<String> rest = args.subList(1, args.size());
    switch (first) {
      case "--help", "-h", "help":
        out.print(usage());
        return 0;
      case "--version", "-V", "version":
        out.println("pierdat " + PierdatVersion.get());
        return 0;
      case "run":
        return runCommand(rest, env, out, err);
      case "status":
        return new StatusCommand(env, out, err).run(rest);
      case "get":
        return new GetCommand(env, out, err, System.console() != null).run(rest);
      case "install-launcher":
        return new InstallLauncherCommand(out, err, Launcher.runningJar()).run(rest);
      case "--":
        return new Agent(env).run(rest);
      default:
        return usageError(err, first.startsWith("-")
            ? "unknown option " + first
            : "unknown command " + first + " (to run a program, write: run -- " + first + " ...)");
    }
  }

  private static int runCommand(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (!args.isEmpty()) {
      String first = args.get(0);
      if (first.equals("--help") || first.equals("-h")) {
        out.print(usage());
        return 0;
      }
      if (first.equals("--")) {
        return new Agent(env).run(args.subList(1, args.size()));
      }
      if (first.startsWith("-")) {
        return usageError(err, "unknown option " + first + " for run (put the app's command after --)");
      }
    }
    return new Agent(env).run(args);
  }

  static int usageError(PrintStream err, String message) {
    err.println("pierdat: " + message);
    err.print(usage());
    return EXIT_USAGE;
  }

  static String usage() {
    StringBuilder s = new StringBuilder();
    s.append("usage: pierdat [run] [--] [COMMAND [ARG...]]\n")
        .append("       pierdat get [OPTIONS] SRC... DEST\n")
        .append("       pierdat status [--host HOST] [--port PORT]\n")
        .append("       pierdat install-launcher [DIR]\n")
        .append("       pierdat --help | --version\n")
        .append("  (pierdat is the launcher script for: java -jar pierdat-agent.jar)\n\n")
        .append("  run      start the image's app (pier.dat app.entrypoint followed by COMMAND) as a child,\n")
        .append("           seed the image's artifacts in the background, forward signals, and exit with\n")
        .append("           the app's exit code; with no command at all, seed until SIGTERM/SIGINT (default)\n")
        .append("  get      fetch and verify an artifact, write it read-only to DEST and record it in pier.dat\n")
        .append("           so that run seeds it (pierdat get --help for options)\n")
        .append("  status   ask the agent running here over HTTP and print its artifacts and seeders\n")
        .append("  install-launcher  write the pierdat launcher script to DIR (default /usr/local/bin)\n\n")
        .append("environment:\n");
    EnvOverrides.VARIABLES.forEach((name, what) -> s.append(String.format("  %-21s %s%n", name, what)));
    s.append("\nexit codes: the app's (128+N if it died of signal N); 2 bad arguments, variable or pier.dat;\n")
        .append("  126 the app cannot be run; 127 the app was not found; status: 1 if the agent is unreachable;\n")
        .append("  get: 1 if the artifact could not be fetched, verified or written\n");
    return s.toString();
  }
}
