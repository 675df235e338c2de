package io.github.pierdat.it.agent;

import io.github.pierdat.it.fixture.FreePort;
import io.github.pierdat.it.fixture.JavaBaseImage;
import io.github.pierdat.it.fixture.Podman;
import io.github.pierdat.it.fixture.ProcessResult;
import io.github.pierdat.it.fixture.RawHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One detached container of an {@link AgentImage}, run the way pierdat images must work in production: a
 * read-only root filesystem, a non-root user, one CPU, host networking, the HTTP seeder on a free port of
 * 127.0.0.1 ({@code PIERDAT_HTTP_PORT}, {@code PIERDAT_BIND}). {@link #close()} removes it.
 */
public final class AgentContainer implements AutoCloseable {

  /** The production-like constraints every container of these tests runs under. */
  public static final List<String> HARDENED = List.of(
      "--read-only",
      "--user", JavaBaseImage.USER_ID + ":" + JavaBaseImage.USER_ID,
      "--cpus", "1");

  private final Podman podman;
  private final String id;
  private final int port;

  private AgentContainer(Podman podman, String id, int port) {
    this.podman = podman;
    this.id = id;
    this.port = port;
  }

  /** A container of {@code image} to configure and {@link Builder#start()}. */
  public static Builder of(AgentImage image) {
    return new Builder(image);
  }

  /** The options of {@code podman run} for a hardened container seeding on {@code port} with {@code env}. */
  public static List<String> runOptions(int port, Map<String, String> env) {
    List<String> options = new ArrayList<>(HARDENED);
    Map<String, String> all = new LinkedHashMap<>();
    all.put("PIERDAT_HTTP_PORT", Integer.toString(port));
    all.put("PIERDAT_BIND", "127.0.0.1");
    all.putAll(env);
    all.forEach((name, value) -> options.addAll(List.of("-e", name + "=" + value)));
    return options;
  }

  /** The seeder's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  public String id() {
    return id;
  }

  /** What the container printed so far (the app's output and the agent's log). */
  public String logs() {
    return podman.logs(id);
  }

  public boolean running() {
    return podman.running(id);
  }

  /** Runs a command in the container. */
  public ProcessResult exec(String... command) {
    return podman.exec(id, command);
  }

  /** {@code podman stop -t seconds}: SIGTERM, and SIGKILL after {@code seconds}. */
  public ProcessResult stop(int seconds) {
    return podman.stop(id, seconds);
  }

  /** The exit code of the stopped container. */
  public int exitCode() {
    return podman.exitCode(id);
  }

  /** Waits until the HTTP seeder answers {@code /healthz}. */
  public AgentContainer awaitSeeding() {
    awaitOrFail(() -> RawHttp.healthy(port), Duration.ofSeconds(30), "the HTTP seeder to answer on port " + port);
    return this;
  }

  /** Waits until the container's output contains {@code text}. */
  public AgentContainer awaitLog(String text) {
    awaitOrFail(() -> logs().contains(text), Duration.ofSeconds(30), "'" + text + "' in the container's output");
    return this;
  }

  /** Polls {@code condition} every 100 ms up to {@code timeout}; fails naming {@code what}, with the logs. */
  public void awaitOrFail(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; container "
            + (podman.running(id) ? "running" : "not running") + ", output:\n" + logs());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  @Override
  public void close() {
    podman.remove(id);
  }

  /** Options of one container. */
  public static final class Builder {
    private final AgentImage image;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> command = new ArrayList<>();

    private Builder(AgentImage image) {
      this.image = image;
    }

    /** An environment variable for the agent (and the app). */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** The app's command (replaces the image's CMD and reaches the agent after {@code --}); none: data-only. */
    public Builder command(String... command) {
      this.command.addAll(List.of(command));
      return this;
    }

    /** Starts the container detached and returns at once. */
    public AgentContainer start() {
      int port = FreePort.find();
      String id = image.podman().start("it-agent-" + port, runOptions(port, env), image.reference(),
          command.toArray(String[]::new));
      return new AgentContainer(image.podman(), id, port);
    }
  }
}
