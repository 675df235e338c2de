package io.github.pierdat.image;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import java.util.function.Consumer;

/** Routes Jib's log and progress events to an {@link ImageLog}; progress becomes a line per 10%. */
final class JibEventLog {

  private final ImageLog log;
  private final String task;
  private int reportedTenths = -1;

  JibEventLog(ImageLog log, String task) {
    this.log = log;
    this.task = task;
  }

  /** Jib's log events, by level. */
  void log(LogEvent event) {
    String message = event.getMessage();
    switch (event.getLevel()) {
      case ERROR, WARN -> log.warn(message);
      case LIFECYCLE -> log.lifecycle(message);
      case INFO -> log.info(message);
      default -> log.debug(message);
    }
  }

  /** A handler for Jib's progress events. */
  Consumer<ProgressEvent> progress() {
    return new ProgressEventHandler(update -> reportProgress(update.getProgress()));
  }

  private synchronized void reportProgress(double fraction) {
    int percent = (int) Math.floor(Math.min(1.0, Math.max(0.0, fraction)) * 100);
    int tenths = percent / 10;
    if (tenths > reportedTenths) {
      reportedTenths = tenths;
      log.lifecycle(task + ": " + percent + "%");
    }
  }
}
