package io.github.pierdat.it.image;

import java.util.regex.Pattern;

/** Regular expressions for the plugin's build log lines that the contract declares stable. */
final class PierdatLog {

  private PierdatLog() {}

  /** {@code [pierdat] <name>: <size> from <source> in <t> (<rate>) sha256 <hex>}. */
  static String fetched(String name, String source, String sha256) {
    return "\\[pierdat\\] " + Pattern.quote(name) + ": .+ from " + Pattern.quote(source) + " in .+ sha256 "
        + sha256 + "\\b";
  }

  /** {@code [pierdat] <name>: <size> from cache sha256 <hex>}. */
  static String fromCache(String name, String sha256) {
    return "\\[pierdat\\] " + Pattern.quote(name) + ": .+ from cache sha256 " + sha256 + "\\b";
  }

  /** {@code [pierdat] <name>: source <source> failed: <reason>}; group 1 is the reason. */
  static String sourceFailed(String name, String source) {
    return "\\[pierdat\\] " + Pattern.quote(name) + ": source " + Pattern.quote(source) + " failed: (.+)$";
  }

  /**
   * {@code [pierdat] Built image <ref> with digest sha256:...} (the {@code [pierdat]} tag optional); group 1
   * is the ref, group 2 the digest.
   */
  static String builtImage() {
    return "(?:\\[pierdat\\] )?Built image (\\S+) with digest (sha256:[0-9a-f]{64})";
  }
}
