package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.FetchLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fetch log that keeps its lines for assertions. */
final class RecordingLog implements FetchLog {

  final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public void info(String message) {
    lines.add("INFO " + message);
  }

  @Override
  public void warn(String message) {
    lines.add("WARN " + message);
  }

  @Override
  public void debug(String message) {}

  String all() {
    return String.join("\n", lines);
  }
}
