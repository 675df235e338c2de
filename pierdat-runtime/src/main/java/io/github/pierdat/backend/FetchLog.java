package io.github.pierdat.backend;

/** Where fetching reports what it does: Maven's log in the plugin, SLF4J or stderr in the CLI. */
public interface FetchLog {

  void info(String message);

  void warn(String message);

  void debug(String message);

  /** True when progress may redraw one line in place (an interactive terminal). */
  default boolean interactive() {
    return false;
  }

  /** A log that drops everything. */
  static FetchLog silent() {
    return new FetchLog() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}

      @Override
      public void debug(String message) {}
    };
  }
}
