package io.github.pierdat.testing;

import io.github.pierdat.backend.FetchLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A {@link FetchLog} that keeps every line, for assertions. */
public final class RecordingLog implements FetchLog {

  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final boolean interactive;

  public RecordingLog() {
    this(false);
  }

  public RecordingLog(boolean interactive) {
    this.interactive = interactive;
  }

  @Override
  public void info(String message) {
    lines.add("INFO " + message);
  }

  @Override
  public void warn(String message) {
    lines.add("WARN " + message);
  }

  @Override
  public void debug(String message) {
    lines.add("DEBUG " + message);
  }

  @Override
  public boolean interactive() {
    return interactive;
  }

  /** Every line so far, prefixed with its level. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Every line joined, for "contains" checks. */
  public String text() {
    return String.join("\n", lines());
  }
}
