package io.github.pierdat.jib;

import com.google.cloud.tools.jib.plugins.extension.ExtensionLogger;
import com.google.cloud.tools.jib.plugins.extension.ExtensionLogger.LogLevel;
import io.github.pierdat.backend.FetchLog;

/** Fetch progress into Jib's extension log, at the levels the pierdat goals use (info is Maven's info). */
final class ExtensionFetchLog implements FetchLog {

  private final ExtensionLogger logger;

  ExtensionFetchLog(ExtensionLogger logger) {
    this.logger = logger;
  }

  @Override
  public void info(String message) {
    logger.log(LogLevel.LIFECYCLE, message);
  }

  @Override
  public void warn(String message) {
    logger.log(LogLevel.WARN, message);
  }

  @Override
  public void debug(String message) {
    logger.log(LogLevel.DEBUG, message);
  }
}
