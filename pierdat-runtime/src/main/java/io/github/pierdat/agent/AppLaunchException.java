package io.github.pierdat.agent;

/** The app could not be started; carries the exit code a shell would use (127 not found, 126 not executable). */
final class AppLaunchException extends Exception {

  private static final long serialVersionUID = 1L;
  private final int exitCode;

  AppLaunchException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
