package io.github.pierdat.cli;

import io.github.pierdat.backend.FetchLog;
import java.io.PrintStream;

/**
 * The CLI's {@link FetchLog}: messages on stderr, one per line; in a terminal, progress redraws one line
 * (such messages start with {@code \r} and end without a line break, see
 * {@link io.github.pierdat.progress.Progress}). Debug messages only when verbose.
 */
final class StderrLog implements FetchLog {

  private final PrintStream err;
  private final boolean interactive;
  private final boolean verbose;
  private boolean lineOpen;

  StderrLog(PrintStream err, boolean interactive, boolean verbose) {
    this.err = err;
    this.interactive = interactive;
    this.verbose = verbose;
  }

  @Override
  public synchronized void info(String message) {
    if (interactive && message.startsWith("\r")) {
      err.print(message);
      lineOpen = !message.endsWith("\n");
      err.flush();
      return;
    }
    line(message);
  }

  @Override
  public synchronized void warn(String message) {
    line(message);
  }

  @Override
  public synchronized void debug(String message) {
    if (verbose) {
      line(message);
    }
  }

  @Override
  public boolean interactive() {
    return interactive;
  }

  private void line(String message) {
    if (lineOpen) {
      // Leave the progress line as it is and start below it.
      err.println();
      lineOpen = false;
    }
    err.println(message.startsWith("\r") ? message.substring(1) : message);
    err.flush();
  }
}
