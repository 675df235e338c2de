package io.github.pierdat.backend.script;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One run of a backend script to its end: no shell, stdin empty, stdout captured (up to a limit), each
 * stderr line handed to a consumer and the last ones kept. The script is stopped (with everything it
 * started) when it runs longer than a total timeout, or when for an idle timeout it writes nothing and
 * the watched file does not grow.
 */
final class ScriptRun {

  /** What a finished script left. */
  record Result(int exitCode, String stdout, boolean stdoutTruncated, OutputTail stderr) {}

  /** The script was stopped because it took too long; the message says which limit it hit. */
  static final class TimeoutException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient OutputTail stderr;

    TimeoutException(String message, OutputTail stderr) {
      super(message);
      this.stderr = stderr;
    }

    OutputTail stderr() {
      return stderr;
    }
  }

  private static final long POLL_MILLIS = 100;
  private static final File NO_INPUT = new File("/dev/null");

  private final List<String> command;
  private Duration totalTimeout = Duration.ofDays(365);
  private Duration idleTimeout = Duration.ofDays(365);
  private Duration killGrace = Duration.ofSeconds(5);
  private Path watched;
  private Consumer<String> stderrLines = line -> {};
  private int stdoutLimit = 64 * 1024;

  private ScriptRun(List<String> command) {
    this.command = List.copyOf(command);
  }

  /** A run of {@code command}: the program and its arguments, as they are. */
  static ScriptRun of(List<String> command) {
    return new ScriptRun(command);
  }

  ScriptRun totalTimeout(Duration value) {
    this.totalTimeout = Objects.requireNonNull(value);
    return this;
  }

  ScriptRun idleTimeout(Duration value) {
    this.idleTimeout = Objects.requireNonNull(value);
    return this;
  }

  ScriptRun killGrace(Duration value) {
    this.killGrace = Objects.requireNonNull(value);
    return this;
  }

  /** A file whose growth counts as progress (the file a get script downloads into). */
  ScriptRun watch(Path file) {
    this.watched = file;
    return this;
  }

  ScriptRun stderrLines(Consumer<String> consumer) {
    this.stderrLines = Objects.requireNonNull(consumer);
    return this;
  }

  /**
   * Runs the script and waits for it.
   *
   * @throws IOException when it cannot be started
   * @throws TimeoutException when it was stopped for taking too long
   * @throws InterruptedException when this thread was interrupted (the script is stopped first)
   */
  Result run() throws IOException, TimeoutException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (NO_INPUT.exists()) {
      builder.redirectInput(NO_INPUT);
    }
    Process process = builder.start();
    if (!NO_INPUT.exists()) {
      process.getOutputStream().close();
    }
    AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    OutputTail tail = new OutputTail(10);
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    boolean[] truncated = new boolean[1];
    Thread out = reader("stdout", () -> readStdout(process.getInputStream(), stdout, truncated, lastActivity));
    Thread err = reader("stderr", () -> readStderr(process.getErrorStream(), tail, lastActivity));
    long start = System.nanoTime();
    long lastSize = -1;
    try {
      while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        long now = System.nanoTime();
        long size = watchedSize();
        if (size != lastSize) {
          lastSize = size;
          lastActivity.set(now);
        }
        if (now - start > totalTimeout.toNanos()) {
          ProcessTree.terminate(process, killGrace);
          throw new TimeoutException("did not finish within " + seconds(totalTimeout) + "; stopped it", tail);
        }
        if (now - lastActivity.get() > idleTimeout.toNanos()) {
          ProcessTree.terminate(process, killGrace);
          throw new TimeoutException("made no progress for " + seconds(idleTimeout)
              + " (no output, and its file did not grow); stopped it", tail);
        }
      }
    } catch (InterruptedException e) {
      ProcessTree.terminate(process, killGrace);
      throw e;
    }
    // A child left running in the background may hold the pipes open: do not wait for it forever.
    out.join(2000);
    err.join(2000);
    synchronized (stdout) {
      return new Result(process.exitValue(), stdout.toString(StandardCharsets.UTF_8), truncated[0], tail);
    }
  }

  private long watchedSize() {
    if (watched == null) {
      return -1;
    }
    try {
      return Files.size(watched);
    } catch (IOException e) {
      return -1;
    }
  }

  private void readStdout(InputStream in, ByteArrayOutputStream sink, boolean[] truncated, AtomicLong activity) {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        activity.set(System.nanoTime());
        synchronized (sink) {
          int keep = Math.max(0, Math.min(n, stdoutLimit - sink.size()));
          sink.write(buffer, 0, keep);
          if (keep < n) {
            truncated[0] = true;
          }
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  private void readStderr(InputStream in, OutputTail tail, AtomicLong activity) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        activity.set(System.nanoTime());
        tail.add(line);
        stderrLines.accept(line);
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  private Thread reader(String stream, Runnable body) {
    Thread thread = new Thread(body, "pierdat-script-" + stream);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }
}
