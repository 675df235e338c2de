package io.github.pierdat.backend;

/**
 * What the agent reports about one seeder (in {@code GET /} and {@code pierdat status}).
 *
 * @param backend the backend's name
 * @param state the seeder's state: starting, running, backoff (waiting to restart) or stopped
 * @param detail the last failure, or empty
 * @param restarts how often the watchdog restarted it
 */
public record SeederStatus(String backend, String state, String detail, long restarts) {}
