package io.github.pierdat.maven;

import io.github.pierdat.backend.FetchLog;
import org.apache.maven.plugin.logging.Log;

/** Fetch messages and progress into Maven's log; progress never redraws (Maven's log is line based). */
final class MavenFetchLog implements FetchLog {

  private final Log log;

  MavenFetchLog(Log log) {
    this.log = log;
  }

  @Override
  public void info(String message) {
    log.info(message);
  }

  @Override
  public void warn(String message) {
    log.warn(message);
  }

  @Override
  public void debug(String message) {
    log.debug(message);
  }
}
