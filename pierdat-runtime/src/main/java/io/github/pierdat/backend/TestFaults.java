package io.github.pierdat.backend;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Faults injected on purpose, for end-to-end tests of the watchdog only. Enabled solely by the
 * {@code PIERDAT_TEST_FAULTS} environment variable (a test hook, never set in production), e.g.
 * {@code http-crash-after:2s} makes the HTTP seeder crash 2 seconds after every start. Several faults are
 * separated by commas.
 */
public final class TestFaults {

  private static final TestFaults NONE = new TestFaults(Map.of());

  private final Map<String, Duration> crashAfter;

  private TestFaults(Map<String, Duration> crashAfter) {
    this.crashAfter = Map.copyOf(crashAfter);
  }

  /** No faults: the normal case. */
  public static TestFaults none() {
    return NONE;
  }

  /**
   * Parses {@code <backend>-crash-after:<n>(ms|s)} entries separated by commas.
   *
   * @throws IllegalArgumentException naming the entry and the expected form
   */
  public static TestFaults parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    Map<String, Duration> crash = new TreeMap<>();
    for (String entry : spec.split(",")) {
      String e = entry.trim();
      int marker = e.indexOf("-crash-after:");
      if (marker <= 0) {
        throw new IllegalArgumentException("unknown fault '" + e + "'; expected <backend>-crash-after:<n>ms|s");
      }
      crash.put(e.substring(0, marker), duration(e.substring(marker + "-crash-after:".length()), e));
    }
    return new TestFaults(crash);
  }

  private static Duration duration(String value, String entry) {
    try {
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      if (value.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException("bad duration in fault '" + entry + "'; expected e.g. 500ms or 2s");
  }

  /** How long the named backend's seeder should run before it crashes on purpose, if at all. */
  public Optional<Duration> crashAfter(String backend) {
    return Optional.ofNullable(crashAfter.get(backend));
  }

  public boolean isEmpty() {
    return crashAfter.isEmpty();
  }
}
