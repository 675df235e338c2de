package io.github.pierdat.agent;

import io.github.pierdat.agent.settings.EnvOverrides;
import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeedMetrics;
import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.backend.Seeder;
import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.manifest.PierDatException;
import io.github.pierdat.manifest.SeedEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the agent does besides running the app, on a background thread: reads the full pier.dat,
 * checks the artifacts, asks each backend (found with {@link java.util.ServiceLoader}) for one seeder of
 * its artifacts, and keeps each seeder running under a {@link Watchdog}. Failures here are logged and
 * never reach the app.
 */
final class Seeding {

  private static final Logger LOG = LoggerFactory.getLogger(Seeding.class);

  private final EnvOverrides env;
  private final SeedMetrics metrics = new SeedMetrics();
  private final List<Watchdog> watchdogs = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile long appStartedMillis;

  Seeding(EnvOverrides env) {
    this.env = env;
    this.thread = new Thread(this::run, "pierdat-seeding");
    this.thread.setDaemon(true);
  }

  /** Notes when the app was started, to log how long the agent delayed it. */
  void appStarted(long epochMillis) {
    appStartedMillis = epochMillis;
  }

  /** Starts in the background and returns at once. */
  void start() {
    thread.start();
  }

  private void run() {
    if (appStartedMillis != 0 && LOG.isDebugEnabled()) {
      ProcessHandle.current().info().startInstant().ifPresent(jvm -> LOG.debug(
          "app started {} ms after the agent's JVM", appStartedMillis - jvm.toEpochMilli()));
    }
    try {
      Path config = env.config();
      PierDat pierDat;
      try {
        pierDat = PierDatCodec.read(config);
      } catch (PierDatException e) {
        LOG.error("not seeding: {}", e.getMessage());
        return;
      }
      AgentSettings settings = env.applyTo(pierDat.settings());
      List<String> wanted = settings.backends();
      if (wanted.contains(EnvOverrides.NO_BACKENDS)) {
        LOG.info("seeding disabled (backends: none)");
        return;
      }
      List<ArtifactEntry> present = check(pierDat.artifacts());
      SeedContext context = SeedContext.builder(settings)
          .metrics(metrics)
          .allArtifacts(pierDat.artifacts())
          .faults(env.faults())
          .options(env.backendOptions())
          .build();
      Backends backends = Backends.load();
      for (String name : backendNames(pierDat.artifacts(), wanted)) {
        if (stopping) {
          return;
        }
        List<SeededArtifact> mine = new ArrayList<>();
        for (ArtifactEntry artifact : present) {
          artifact.seed(name).ifPresent(seed -> mine.add(new SeededArtifact(artifact, Path.of(artifact.path()), seed)));
        }
        Optional<Seeder> seeder = seeder(backends, name, mine, context);
        if (seeder.isEmpty()) {
          continue;
        }
        Watchdog watchdog = new Watchdog(seeder.get(), metrics, Backoff.forSeeders());
        synchronized (this) {
          if (stopping) {
            return;
          }
          watchdogs.add(watchdog);
          watchdog.start();
        }
      }
    } catch (RuntimeException | LinkageError e) {
      if (!stopping) {
        LOG.error("seeding failed to start; the app is not affected", e);
      }
    }
  }

  /** The backends to run: those asked for, else every backend some artifact has a seed entry for. */
  private static Set<String> backendNames(List<ArtifactEntry> artifacts, List<String> wanted) {
    if (!wanted.isEmpty()) {
      return new LinkedHashSet<>(wanted);
    }
    Set<String> names = new LinkedHashSet<>();
    for (ArtifactEntry artifact : artifacts) {
      for (SeedEntry seed : artifact.seeds()) {
        names.add(seed.backend());
      }
    }
    return names;
  }

  private List<ArtifactEntry> check(List<ArtifactEntry> artifacts) {
    ArtifactCheck check = new ArtifactCheck(env.verify(), () -> stopping);
    List<ArtifactEntry> present = new ArrayList<>();
    for (ArtifactEntry artifact : artifacts) {
      if (stopping) {
        break;
      }
      Optional<String> problem = check.problem(artifact);
      if (problem.isPresent()) {
        LOG.error("NOT SEEDING artifact {}: {}", artifact.name(), problem.get());
      } else {
        present.add(artifact);
      }
    }
    return present;
  }

  private static Optional<Seeder> seeder(Backends backends, String name, List<SeededArtifact> artifacts,
      SeedContext context) {
    Optional<Backend> backend = backends.named(name);
    if (backend.isPresent()) {
      try {
        Optional<Seeder> seeder = backend.get().seeder(artifacts, context);
        if (seeder.isPresent()) {
          return seeder;
        }
        // The backend is here but has nothing to run with these settings (e.g. ipfs without PIERDAT_IPFS_API).
        LOG.info("backend {} runs no seeder of its own here", name);
        return Optional.empty();
      } catch (RuntimeException e) {
        LOG.error("backend {} could not make a seeder: {}", name, e.toString());
        return Optional.empty();
      }
    }
    Set<String> known = new TreeSet<>();
    backends.all().forEach(b -> known.add(b.name()));
    LOG.warn("no seeder for backend '{}' (backends here: {}); check PIERDAT_BACKENDS", name, String.join(", ", known));
    return Optional.empty();
  }

  /** Stops every seeder, all at once, within {@code grace}. */
  void stop(Duration grace) {
    List<Watchdog> running;
    synchronized (this) {
      // Start-up still in progress (loading backends, hashing) is abandoned: its thread is a daemon.
      stopping = true;
      running = List.copyOf(watchdogs);
    }
    List<Thread> stoppers = new ArrayList<>();
    for (Watchdog watchdog : running) {
      Thread t = new Thread(() -> watchdog.stop(grace), "pierdat-stop-" + watchdog.backend());
      t.setDaemon(true);
      t.start();
      stoppers.add(t);
    }
    long deadline = System.nanoTime() + grace.toNanos() + Duration.ofMillis(200).toNanos();
    for (Thread t : stoppers) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        t.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
