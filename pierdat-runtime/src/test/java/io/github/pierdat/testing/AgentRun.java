package io.github.pierdat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The agent (or any command of the CLI) running as a real child JVM with the test class path and main
 * class io.github.pierdat.cli.Main; its stdout and stderr go to files.
 */
public final class AgentRun implements AutoCloseable {

  private final Process process;
  private final Path out;
  private final Path err;

  private AgentRun(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Whether this system's env(1) can reset signal dispositions (GNU coreutils 8.31 and later). */
  private static final boolean ENV_RESETS_SIGNALS = envResetsSignals();

  private static boolean envResetsSignals() {
    try {
      Process p = new ProcessBuilder("/usr/bin/env", "--default-signal=HUP", "true")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Starts {@code java -cp <test class path> io.github.pierdat.cli.Main args} with only {@code env} of PIERDAT_*. */
  public static AgentRun start(Path dir, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    // A build started in the background or under nohup hands its children SIGINT/SIGHUP ignored, and a JVM
    // cannot catch a signal ignored at its start: reset them, as a container's PID 1 starts with them.
    if (ENV_RESETS_SIGNALS) {
      command.addAll(List.of("/usr/bin/env", "--default-signal=HUP,INT,TERM"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.github.pierdat.cli.Main");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("PIERDAT_"));
    builder.environment().putAll(env);
    Path out = Files.createTempFile(dir, "agent", ".out");
    Path err = Files.createTempFile(dir, "agent", ".err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new AgentRun(builder.start(), out, err);
  }

  public Process process() {
    return process;
  }

  public String stdout() throws IOException {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  public String stderr() throws IOException {
    return Files.readString(err, StandardCharsets.UTF_8);
  }

  /** Waits for the exit code, failing after {@code timeout}. */
  public int exitCode(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("agent still running after " + timeout + "; stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  /** Sends a signal to the agent's process with the kill command. */
  public void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + name + " failed");
    }
  }

  /** Polls {@code condition} every 50 ms until it holds, failing after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
