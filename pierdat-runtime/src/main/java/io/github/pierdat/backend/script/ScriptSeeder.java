package io.github.pierdat.backend.script;

import io.github.pierdat.backend.Seeder;
import io.github.pierdat.backend.SeederHealth;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the seed commands of one script backend as child processes, straight from their argument lists
 * (never through a shell). Healthy while every process is alive; when one exits the seeder counts as
 * failed and the agent's watchdog restarts all of them. Stopping sends SIGTERM to each process and
 * everything it started, then SIGKILL after the grace period. Their output is logged line by line at
 * info level; the last lines go into the failure detail.
 */
final class ScriptSeeder implements Seeder {

  /**
   * One command to keep running.
   *
   * @param artifact the name of the artifact it seeds, for logs
   * @param argv the program and its arguments
   */
  record Command(String artifact, List<String> argv) {
    Command {
      Objects.requireNonNull(artifact, "artifact");
      argv = List.copyOf(argv);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("a seed command needs at least a program");
      }
    }
  }

  /** A started command. */
  private record Running(Command command, Process process, OutputTail output) {}

  private static final Logger LOG = LoggerFactory.getLogger(ScriptSeeder.class);
  private static final Duration MIN_GRACE = Duration.ofMillis(500);
  private static final File NO_INPUT = new File("/dev/null");

  private final String backend;
  private final List<Command> commands;
  private final Duration killGrace;
  private final List<Running> running = new ArrayList<>();
  private boolean started;

  ScriptSeeder(String backend, List<Command> commands, Duration killGrace) {
    this.backend = Objects.requireNonNull(backend);
    this.commands = List.copyOf(commands);
    this.killGrace = killGrace;
  }

  @Override
  public String backend() {
    return backend;
  }

  /** The seed commands, in order. */
  List<Command> commands() {
    return commands;
  }

  @Override
  public synchronized void start() throws IOException {
    if (started) {
      return;
    }
    for (Command command : commands) {
      ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectErrorStream(true);
      if (NO_INPUT.exists()) {
        builder.redirectInput(NO_INPUT);
      }
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        stopAll(Duration.ZERO);
        throw new IOException("cannot start " + describe(command) + ": " + e.getMessage(), e);
      }
      OutputTail output = new OutputTail(5);
      running.add(new Running(command, process, output));
      log(process, command, output);
      LOG.info("{}: started {} (pid {})", backend, describe(command), process.pid());
    }
    started = true;
  }

  @Override
  public synchronized SeederHealth health() {
    if (!started) {
      return SeederHealth.stopped();
    }
    for (Running r : running) {
      if (!r.process().isAlive()) {
        return SeederHealth.failed(describe(r.command()) + " exited with code " + r.process().exitValue()
            + "; " + r.output().describe("output lines"));
      }
    }
    return SeederHealth.running();
  }

  @Override
  public synchronized void stop(Duration grace) {
    stopAll(grace);
    started = false;
  }

  /** The process ids of the running commands, in order (for tests and status). */
  synchronized List<Long> pids() {
    return running.stream().filter(r -> r.process().isAlive()).map(r -> r.process().pid()).toList();
  }

  private void stopAll(Duration grace) {
    Duration wait = grace.compareTo(MIN_GRACE) < 0 ? MIN_GRACE : grace;
    List<Thread> stoppers = new ArrayList<>();
    for (Running r : running) {
      if (r.process().isAlive()) {
        Thread t = new Thread(() -> ProcessTree.terminate(r.process(), wait), "pierdat-stop-" + backend);
        t.setDaemon(true);
        t.start();
        stoppers.add(t);
      }
    }
    for (Thread t : stoppers) {
      try {
        t.join(wait.toMillis() + killGrace.toMillis() + 3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    running.clear();
  }

  private void log(Process process, Command command, OutputTail output) {
    String prefix = backend + " " + command.artifact() + ": ";
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.add(line);
          LOG.info("{}{}", prefix, line);
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, "pierdat-seed-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  private static String describe(Command command) {
    String line = String.join(" ", command.argv());
    return "'" + (line.length() > 200 ? line.substring(0, 200) + "..." : line) + "' (artifact "
        + command.artifact() + ")";
  }
}
