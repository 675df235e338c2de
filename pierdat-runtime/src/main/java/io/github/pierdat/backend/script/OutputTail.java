package io.github.pierdat.backend.script;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last few lines a process wrote, for error messages. Thread-safe. */
final class OutputTail {

  private static final int MAX_LINE = 500;

  private final int size;
  private final Deque<String> lines = new ArrayDeque<>();

  OutputTail(int size) {
    this.size = size;
  }

  synchronized void add(String line) {
    if (lines.size() == size) {
      lines.removeFirst();
    }
    lines.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line);
  }

  synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  /** The lines as an indented block for a message, or a note that there were none. */
  String describe(String what) {
    List<String> copy = lines();
    if (copy.isEmpty()) {
      return "no " + what;
    }
    StringBuilder s = new StringBuilder("last ").append(what).append(':');
    copy.forEach(l -> s.append(System.lineSeparator()).append("      ").append(l));
    return s.toString();
  }
}
