package io.github.pierdat.backend;

import java.time.Duration;

/**
 * A long-running service that offers artifacts to peers at run time (the old {@code seed}). One seeder
 * serves all artifacts of its backend. The agent's watchdog starts it, watches {@link #health()}, and
 * restarts it after a failure, so a seeder must be restartable: {@link #start()} may be called again after
 * {@link #stop(Duration)} or after it failed.
 */
public interface Seeder {

  /** The backend this seeder belongs to, e.g. {@code http}; used in logs and metrics. */
  String backend();

  /**
   * Starts serving and returns once it does (for example once the port is bound).
   *
   * @throws Exception when it cannot start now (port taken, file gone); the watchdog retries later
   */
  void start() throws Exception;

  /** Whether the seeder is serving, has failed (and should be restarted) or was stopped. */
  SeederHealth health();

  /** Stops serving within {@code grace} (closing open transfers after it); idempotent. */
  void stop(Duration grace);
}
