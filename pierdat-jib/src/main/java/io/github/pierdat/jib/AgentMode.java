package io.github.pierdat.jib;

import io.github.pierdat.maven.InvalidConfigurationException;
import java.util.List;
import java.util.Locale;

/** How the agent runs in a Jib-built image. */
public enum AgentMode {
  /**
   * The agent is the entrypoint, in its own JVM: it runs Jib's command as its child, forwards signals and
   * exits with the app's code (the default; the same as {@code pierdat:build}).
   */
  PROCESS,
  /**
   * The agent starts inside the app's JVM ({@code -javaagent}) and seeds on daemon threads; Jib's
   * entrypoint stays the image's entrypoint. One JVM instead of two, no supervision of the app.
   */
  JAVAAGENT;

  /** Parses {@code process} or {@code javaagent} (any case); {@code where} names the setting for errors. */
  public static AgentMode parse(String value, String where) throws InvalidConfigurationException {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "process" -> PROCESS;
      case "javaagent" -> JAVAAGENT;
      default -> throw new InvalidConfigurationException(List.of(where + " is '" + value
          + "'; expected 'process' (the agent runs the app as its child) or 'javaagent' (inside the app's JVM)"));
    };
  }
}
