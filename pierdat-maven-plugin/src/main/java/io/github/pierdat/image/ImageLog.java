package io.github.pierdat.image;

/**
 * Where the assembler reports what it does. A Maven mojo adapts it to its {@code Log}. Messages never
 * contain credentials.
 */
public interface ImageLog {

  /** Milestones a user wants to see by default: the base image, each layer, progress, the result. */
  void lifecycle(String message);

  /** Details useful when something goes wrong. */
  void info(String message);

  /** Something the user should look at, though the build goes on. */
  void warn(String message);

  /** Diagnostics for pierdat's developers. */
  void debug(String message);

  /** A log that drops everything. */
  static ImageLog silent() {
    return new ImageLog() {
      @Override
      public void lifecycle(String message) {}

      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}

      @Override
      public void debug(String message) {}
    };
  }
}
