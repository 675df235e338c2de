package io.github.pierdat.agent;

import io.github.pierdat.agent.settings.EnvOverrides;
import io.github.pierdat.agent.settings.SettingsException;
import io.github.pierdat.manifest.PierDatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent's {@code run}: starts the app (pier.dat's {@code app.entrypoint} followed by the arguments
 * after {@code --}) as a child first, then seeds the image's artifacts in the background; forwards
 * signals to the app and exits with its exit code (128+N if it died of signal N) once the seeders have
 * stopped, within {@code PIERDAT_GRACE}. Without a command it seeds until SIGTERM or SIGINT and exits 0.
 *
 * <p>The path to the app's start is kept short on purpose (no logging framework): the
 * environment is checked, pier.dat's head is read with a small JSON reader, and the child is started;
 * everything else happens after.
 */
public final class Agent {

  /** Exit code for a bad environment variable, a bad pier.dat or bad arguments. */
  public static final int EXIT_CONFIG = 2;

  private final Map<String, String> env;

  /** An agent configured by {@code env} (normally {@link System#getenv()}). */
  public Agent(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * Runs the agent until the app exits (or, without a command, until SIGTERM/SIGINT).
   *
   * @param args the arguments after {@code --}: appended to the image's entrypoint
   * @return the exit code for the agent's process
   */
  public int run(List<String> args) {
    EnvOverrides overrides;
    try {
      overrides = EnvOverrides.parse(env);
    } catch (SettingsException e) {
      return fail(e.getMessage(), EXIT_CONFIG);
    }
    SignalRelay signals = new SignalRelay();
    signals.install();
    PierDatHead head;
    try {
      head = PierDatHead.read(overrides.config());
    } catch (PierDatException e) {
      return fail(e.getMessage(), EXIT_CONFIG);
    }
    AgentLogging.configure(overrides.log().orElse(head.log()));
    List<String> command = new ArrayList<>(head.app().entrypoint());
    command.addAll(args);
    if (command.isEmpty()) {
      Seeding seeding = new Seeding(overrides);
      seeding.start();
      return seedUntilStopped(signals, seeding, overrides.grace());
    }
    if (signals.stopSignal() != 0) {
      return 128 + signals.stopSignal();
    }
    Process app;
    try {
      app = AppLauncher.start(command, head.app().workingDir());
    } catch (AppLaunchException e) {
      return fail(e.getMessage(), e.exitCode());
    }
    signals.attach(app);
    // Only now: Seeding's logger initializes SLF4J, which the app must not wait for.
    Seeding seeding = new Seeding(overrides);
    seeding.appStarted(System.currentTimeMillis());
    seeding.start();
    int code = waitFor(app);
    seeding.stop(overrides.grace());
    return code;
  }

  private static int waitFor(Process app) {
    while (true) {
      try {
        return app.waitFor();
      } catch (InterruptedException e) {
        // only the app's exit ends the agent
      }
    }
  }

  private static int seedUntilStopped(SignalRelay signals, Seeding seeding, Duration grace) {
    while (true) {
      try {
        signals.awaitStop();
        break;
      } catch (InterruptedException e) {
        // keep waiting for a signal
      }
    }
    seeding.stop(grace);
    return 0;
  }

  private static int fail(String message, int code) {
    System.err.println("pierdat: " + message);
    return code;
  }
}
