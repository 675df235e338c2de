package io.github.pierdat.agent;

import io.github.pierdat.backend.SeedMetrics;
import io.github.pierdat.backend.Seeder;
import io.github.pierdat.backend.SeederHealth;
import io.github.pierdat.backend.SeederStatus;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one seeder running: starts it, checks its health, and when it fails to start or stops by itself
 * restarts it after a backoff (1 s doubling to 60 s, with jitter; reset after a healthy minute). Every
 * restart is logged and counted in the metrics. Nothing a seeder does (throwing, failing, hanging in
 * start) reaches the agent or the app: the watchdog runs on its own daemon thread.
 */
final class Watchdog {

  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
  private static final long HEALTH_POLL_MILLIS = 200;
  private static final Duration HEALTHY_RUN = Duration.ofSeconds(60);

  private final Seeder seeder;
  private final SeedMetrics metrics;
  private final Backoff backoff;
  private final Thread thread;
  private volatile boolean stopping;
  private long restarts;

  Watchdog(Seeder seeder, SeedMetrics metrics, Backoff backoff) {
    this.seeder = seeder;
    this.metrics = metrics;
    this.backoff = backoff;
    this.thread = new Thread(this::watch, "pierdat-watchdog-" + seeder.backend());
    this.thread.setDaemon(true);
  }

  String backend() {
    return seeder.backend();
  }

  void start() {
    report("starting", "");
    thread.start();
  }

  private void watch() {
    while (!stopping) {
      long started = System.nanoTime();
      String failure = runOnce();
      if (stopping) {
        break;
      }
      stopQuietly(Duration.ZERO);
      if (Duration.ofNanos(System.nanoTime() - started).compareTo(HEALTHY_RUN) >= 0) {
        backoff.reset();
      }
      Duration delay = backoff.next();
      restarts++;
      LOG.warn("{} seeder failed: {}; restart #{} in {} ms", seeder.backend(), failure, restarts, delay.toMillis());
      report("backoff", failure);
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        break;
      }
    }
    report("stopped", "");
  }

  /** Starts the seeder and waits while it is healthy; returns why it is not. */
  private String runOnce() {
    report("starting", "");
    try {
      seeder.start();
    } catch (Exception | LinkageError e) {
      return "cannot start: " + (e.getMessage() == null ? e.toString() : e.getMessage());
    }
    report("running", "");
    LOG.info("{} seeder running", seeder.backend());
    while (!stopping) {
      SeederHealth health;
      try {
        health = seeder.health();
      } catch (RuntimeException e) {
        return "health check threw " + e;
      }
      if (health.state() != SeederHealth.State.RUNNING) {
        return health.detail().isEmpty() ? "stopped by itself (" + health.state() + ")" : health.detail();
      }
      try {
        Thread.sleep(HEALTH_POLL_MILLIS);
      } catch (InterruptedException e) {
        return "interrupted";
      }
    }
    return "stopping";
  }

  private void report(String state, String detail) {
    metrics.seeder(new SeederStatus(seeder.backend(), state, detail, restarts));
  }

  /** Stops watching and stops the seeder, within {@code grace}. */
  void stop(Duration grace) {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(Math.max(1, Math.min(grace.toMillis(), 2000)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopQuietly(grace);
    report("stopped", "");
  }

  private void stopQuietly(Duration grace) {
    try {
      seeder.stop(grace);
    } catch (RuntimeException e) {
      LOG.warn("{} seeder did not stop cleanly: {}", seeder.backend(), e.toString());
    }
  }
}
