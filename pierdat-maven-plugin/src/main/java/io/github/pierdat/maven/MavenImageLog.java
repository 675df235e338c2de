package io.github.pierdat.maven;

import io.github.pierdat.image.ImageLog;
import org.apache.maven.plugin.logging.Log;

/** Image assembly messages into Maven's log. */
final class MavenImageLog implements ImageLog {

  private final Log log;

  MavenImageLog(Log log) {
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
