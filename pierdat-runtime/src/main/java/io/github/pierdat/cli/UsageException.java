package io.github.pierdat.cli;

/** A command line the CLI cannot run; the message says which argument is wrong and what to write. */
final class UsageException extends Exception {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
