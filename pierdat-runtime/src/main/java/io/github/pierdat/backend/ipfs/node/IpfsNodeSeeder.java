package io.github.pierdat.backend.ipfs.node;

import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.backend.Seeder;
import io.github.pierdat.backend.SeederHealth;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.CidFormatException;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds artifacts into the IPFS network through an IPFS node's Kubo-compatible RPC API
 * ({@code PIERDAT_IPFS_API}): adds and pins every artifact (streaming it from its read-only file) with
 * the import parameters of its CID in pier.dat, and checks the node's CID equals it; a different CID is
 * logged as an error naming both and the parameters, and that artifact is not retried. Then it checks the
 * node every {@link Builder#checkEvery interval}: when the node is unreachable or has lost a pin (e.g. it
 * restarted with an empty repository) the seeder reports itself failed, and the agent's watchdog restarts
 * it, which adds what is missing again. The node itself is the one that talks to the IPFS network.
 */
public final class IpfsNodeSeeder implements Seeder {

  /** The backend name. */
  public static final String BACKEND = "ipfs";

  private static final Logger LOG = LoggerFactory.getLogger(IpfsNodeSeeder.class);

  private final List<Target> targets = new ArrayList<>();
  private final KuboApi api;
  private final Duration checkEvery;
  private volatile SeederHealth health = SeederHealth.stopped();
  private volatile Thread worker;

  private IpfsNodeSeeder(Builder b) {
    this.api = b.api;
    this.checkEvery = b.checkEvery;
    for (SeededArtifact artifact : b.artifacts) {
      String text = artifact.seed().param("cid");
      try {
        targets.add(new Target(artifact, Cid.parse(Objects.requireNonNull(text, "no cid parameter"))));
      } catch (CidFormatException | NullPointerException e) {
        LOG.error("not adding {} to the IPFS node: its ipfs seed CID '{}' in pier.dat is unusable: {}",
            artifact.artifact().name(), text, e.getMessage());
      }
    }
  }

  /** A builder for a seeder of {@code artifacts} (each with an ipfs seed entry) into the node at {@code api}. */
  public static Builder builder(List<SeededArtifact> artifacts, KuboApi api) {
    return new Builder(artifacts, api);
  }

  @Override
  public String backend() {
    return BACKEND;
  }

  /** Checks the node answers, then adds and watches in the background. */
  @Override
  public synchronized void start() throws IOException {
    if (worker != null && health.state() == SeederHealth.State.RUNNING) {
      return;
    }
    stopWorker();
    String peer = api.id();
    LOG.info("IPFS node {} (peer {}): adding {} artifact(s)", api, peer, targets.size());
    health = SeederHealth.running();
    Thread t = new Thread(this::run, "pierdat-ipfs-node");
    t.setDaemon(true);
    worker = t;
    t.start();
  }

  private void run() {
    try {
      for (Target target : targets) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        ensurePinned(target);
      }
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(checkEvery.toMillis());
        api.id();
        for (Target target : targets) {
          if (target.pinned && !api.pinned(target.cid) && worker == Thread.currentThread()) {
            health = SeederHealth.failed("IPFS node " + api + " no longer has " + target.cid + " ("
                + target.artifact.artifact().name() + ") pinned; it restarted or was garbage-collected");
            return;
          }
        }
      }
    } catch (InterruptedException | java.io.InterruptedIOException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      if (worker == Thread.currentThread()) {
        health = SeederHealth.failed(e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
  }

  private void ensurePinned(Target target) throws IOException {
    String name = target.artifact.artifact().name();
    if (target.mismatch) {
      return;
    }
    if (api.pinned(target.cid)) {
      target.pinned = true;
      LOG.info("IPFS node {} already has {} ({}) pinned", api, target.cid, name);
      return;
    }
    UnixFsImporter importer = importerFor(target);
    long started = System.nanoTime();
    Cid added = api.add(target.artifact.file(), importer);
    if (!added.multihash().equals(target.cid.multihash())) {
      target.mismatch = true;
      LOG.error("IPFS node {} added {} as {}, but pier.dat records {} (import parameters sent: {});"
          + " the node does not use kubo's import parameters, or the file changed. Not seeding it through"
          + " this node; the HTTP seeder's /ipfs/ gateway still serves {}", api, name, added, target.cid,
          importer.describe(), target.cid);
      return;
    }
    target.pinned = true;
    LOG.info("IPFS node {} added and pinned {} ({}, {} bytes) in {} ms", api, target.cid, name,
        target.artifact.artifact().size(), (System.nanoTime() - started) / 1_000_000);
  }

  /** The import parameters that produce the artifact's CID; for a CIDv1, found by hashing the file once. */
  private static UnixFsImporter importerFor(Target target) throws IOException {
    List<UnixFsImporter> candidates = UnixFsImporter.candidatesFor(target.cid);
    if (candidates.size() > 1 && target.importer == null) {
      for (UnixFsImporter candidate : candidates) {
        if (candidate.importFile(target.artifact.file()).multihash().equals(target.cid.multihash())) {
          target.importer = candidate;
          break;
        }
      }
    }
    return target.importer != null ? target.importer : candidates.get(0);
  }

  @Override
  public SeederHealth health() {
    return health;
  }

  @Override
  public synchronized void stop(Duration grace) {
    stopWorker();
    health = SeederHealth.stopped();
  }

  private void stopWorker() {
    Thread t = worker;
    worker = null;
    if (t != null) {
      t.interrupt();
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One artifact and what is known about it on the node. */
  private static final class Target {
    final SeededArtifact artifact;
    final Cid cid;
    volatile boolean pinned;
    volatile boolean mismatch;
    volatile UnixFsImporter importer;

    Target(SeededArtifact artifact, Cid cid) {
      this.artifact = artifact;
      this.cid = cid;
    }
  }

  /** Fluent builder for {@link IpfsNodeSeeder}. */
  public static final class Builder {
    private final List<SeededArtifact> artifacts;
    private final KuboApi api;
    private Duration checkEvery = Duration.ofSeconds(10);

    private Builder(List<SeededArtifact> artifacts, KuboApi api) {
      this.artifacts = List.copyOf(Objects.requireNonNull(artifacts, "artifacts"));
      this.api = Objects.requireNonNull(api, "api");
    }

    /** How often the node is checked for being up and still pinning every artifact (default 10 s). */
    public Builder checkEvery(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("checkEvery must be positive, was " + value);
      }
      this.checkEvery = value;
      return this;
    }

    public IpfsNodeSeeder build() {
      return new IpfsNodeSeeder(this);
    }
  }
}
