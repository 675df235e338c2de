package io.github.pierdat.agent;

import io.github.pierdat.agent.settings.EnvOverrides;
import io.github.pierdat.agent.settings.SettingsException;
import io.github.pierdat.manifest.PierDatException;
import java.lang.instrument.Instrumentation;
import java.util.Map;

/**
 * The agent inside the app's own JVM ({@code java -javaagent:/opt/pierdat/pierdat-agent.jar ...}): seeds the
 * image's artifacts on daemon threads next to the app instead of supervising it from a second JVM. It
 * never delays or stops the app: a bad setting or pier.dat is reported on stderr and seeding is skipped;
 * the seeders stop (within {@code PIERDAT_GRACE}) when the JVM shuts down. Everything the agent brings is
 * relocated under {@code io.github.pierdat.shaded}, so it cannot clash with the app's libraries.
 */
public final class InJvmAgent {

  private InJvmAgent() {}

  /** The JVM calls this before the app's {@code main}. */
  public static void premain(String arguments, Instrumentation instrumentation) {
    start(System.getenv());
  }

  /** Starts seeding as {@code env} configures it; returns at once. */
  static boolean start(Map<String, String> env) {
    EnvOverrides overrides;
    PierDatHead head;
    try {
      overrides = EnvOverrides.parse(env);
      head = PierDatHead.read(overrides.config());
    } catch (SettingsException | PierDatException e) {
      System.err.println("pierdat: not seeding: " + e.getMessage());
      return false;
    }
    AgentLogging.configure(overrides.log().orElse(head.log()));
    Seeding seeding = new Seeding(overrides);
    seeding.start();
    Thread stopper = new Thread(() -> seeding.stop(overrides.grace()), "pierdat-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    return true;
  }
}
