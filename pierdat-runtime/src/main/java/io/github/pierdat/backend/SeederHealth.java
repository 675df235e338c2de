package io.github.pierdat.backend;

import java.util.Objects;

/**
 * The state of a {@link Seeder} as its watchdog sees it.
 *
 * @param state what the seeder is doing
 * @param detail why it failed, or a short note; never null
 */
public record SeederHealth(State state, String detail) {

  /** What a seeder is doing. */
  public enum State {
    /** Not started yet, or stopped on request. */
    STOPPED,
    /** Serving. */
    RUNNING,
    /** Stopped by itself because of an error; the watchdog restarts it. */
    FAILED
  }

  public SeederHealth {
    Objects.requireNonNull(state, "state");
    detail = detail == null ? "" : detail;
  }

  public static SeederHealth running() {
    return new SeederHealth(State.RUNNING, "");
  }

  public static SeederHealth stopped() {
    return new SeederHealth(State.STOPPED, "");
  }

  public static SeederHealth failed(String why) {
    return new SeederHealth(State.FAILED, why);
  }
}
