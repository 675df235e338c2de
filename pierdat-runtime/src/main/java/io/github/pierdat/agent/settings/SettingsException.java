package io.github.pierdat.agent.settings;

/** A {@code PIERDAT_*} variable is unknown or malformed; the message names it, its value and what is expected. */
public class SettingsException extends Exception {

  private static final long serialVersionUID = 1L;

  public SettingsException(String message) {
    super(message);
  }
}
