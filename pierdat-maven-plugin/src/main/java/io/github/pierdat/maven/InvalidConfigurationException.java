package io.github.pierdat.maven;

import java.util.List;

/** The plugin configuration has problems; the message lists each on its own line. */
public final class InvalidConfigurationException extends Exception {

  private static final long serialVersionUID = 1L;
  private final transient List<String> problems;

  /** An exception listing {@code problems}, each a sentence naming the field, the value and what was expected. */
  public InvalidConfigurationException(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, one per entry. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    if (problems.size() == 1) {
      return "Invalid pierdat configuration: " + problems.get(0);
    }
    StringBuilder message = new StringBuilder("Invalid pierdat configuration (" + problems.size() + " problems):");
    problems.forEach(p -> message.append(System.lineSeparator()).append("  - ").append(p));
    return message.toString();
  }
}
