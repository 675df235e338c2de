package io.github.pierdat.maven;

import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.image.ImageLog;
import org.apache.maven.plugin.logging.Log;

/**
 * Fetch and image assembly messages into Maven's log; progress never redraws (Maven's log is line based),
 * and image milestones are plain info lines.
 */
final class MavenLog implements FetchLog, ImageLog {

  private final Log log;

  MavenLog(Log log) {
    this.log = log;
  }

  @Override
  public void lifecycle(String message) {
    log.info(message);
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
