package io.github.pierdat.agent;

import java.util.Locale;

/**
 * Configures the agent's SLF4J binding (slf4j-simple, shaded into the agent jar) before the first logger
 * exists: one line per event on stderr ({@code 2026-01-01T12:00:00.000Z WARN Watchdog - ...}), quiet
 * ({@code warn}) unless {@code PIERDAT_LOG} or pier.dat's settings say otherwise. Stdout stays the app's.
 */
final class AgentLogging {

  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private AgentLogging() {}

  static void configure(String level) {
    String l = level == null ? "warn" : level.toLowerCase(Locale.ROOT);
    setIfAbsent("defaultLogLevel", l);
    setIfAbsent("logFile", "System.err");
    setIfAbsent("showDateTime", "true");
    setIfAbsent("dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    setIfAbsent("showThreadName", "false");
    setIfAbsent("showLogName", "false");
    setIfAbsent("showShortLogName", "true");
    setIfAbsent("levelInBrackets", "false");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(PREFIX + key) == null) {
      System.setProperty(PREFIX + key, value);
    }
  }
}
