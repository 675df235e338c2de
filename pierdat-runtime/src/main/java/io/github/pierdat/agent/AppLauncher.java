package io.github.pierdat.agent;

import java.io.File;
import java.io.IOException;
import java.util.List;

/** Starts the app as the agent's child: stdin, stdout and stderr inherited, in the image's working directory. */
final class AppLauncher {

  private AppLauncher() {}

  /**
   * Starts {@code command} in {@code workingDir} (or the agent's own when null).
   *
   * @throws AppLaunchException with exit code 127 when the program does not exist, 126 when it cannot be run
   */
  static Process start(List<String> command, String workingDir) throws AppLaunchException {
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    if (workingDir != null && !workingDir.isEmpty()) {
      File dir = new File(workingDir);
      if (!dir.isDirectory()) {
        throw new AppLaunchException("cannot start " + command.get(0) + ": working directory " + workingDir
            + " (app.workingDir in pier.dat) does not exist", 126, null);
      }
      builder.directory(dir);
    }
    try {
      return builder.start();
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      boolean notFound = message.contains("error=2,") || message.contains("No such file");
      String what = notFound
          ? "not found (check the image's ENTRYPOINT/CMD and PATH)"
          : "cannot be run (" + message + ")";
      return rethrow(new AppLaunchException("cannot start the app: " + command.get(0) + " " + what,
          notFound ? 127 : 126, e));
    }
  }

  private static Process rethrow(AppLaunchException e) throws AppLaunchException {
    throw e;
  }
}
