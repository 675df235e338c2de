package io.github.pierdat.backend.bittorrent;

import bt.Bt;
import bt.metainfo.IMetadataService;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentId;
import bt.runtime.BtClient;
import bt.torrent.TorrentSessionState;
import io.github.pierdat.backend.SeedMetrics;
import io.github.pierdat.backend.Seeder;
import io.github.pierdat.backend.SeederHealth;
import io.github.pierdat.backend.bittorrent.engine.BtEngine;
import io.github.pierdat.backend.bittorrent.engine.FirstPeerWatch;
import io.github.pierdat.backend.bittorrent.engine.ReadOnlyFileStorage;
import io.github.pierdat.backend.bittorrent.engine.StaticPeerSources;
import io.github.pierdat.backend.bittorrent.engine.UploadGate;
import io.github.pierdat.backend.bittorrent.metainfo.InfoHash;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.peer.PeerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds complete files to a BitTorrent swarm: one bt-core runtime on one port for every torrent, files opened
 * read-only (they may be root-owned and 0444 in an image), announcing to each torrent's trackers, accepting
 * incoming peers and connecting to static peers. Restartable: {@link #start()} after {@link #stop()} starts
 * afresh. As the agent's {@link Seeder} it reports a failed torrent client in {@link #health()} (the
 * watchdog then restarts it) and counts uploads in the agent's {@link SeedMetrics}.
 *
 * <pre>{@code
 * BitTorrentSeeder seeder = BitTorrentSeeder.builder().bind(InetAddress.getByName("0.0.0.0")).port(6881)
 *     .seed(torrentBytes, Path.of("/data/model.bin")).build();
 * seeder.start();
 * }</pre>
 */
public final class BitTorrentSeeder implements Seeder, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BitTorrentSeeder.class);

  private final InetAddress bind;
  private final int port;
  private final InetAddress advertise;
  private final List<PeerAddress> peers;
  private final Map<InfoHash, Seed> seeds;
  private final UploadGate gate;
  private final Duration trackerInterval;
  private final SeedMetrics metrics;
  private final Duration crashAfter;
  private final boolean onDemand;
  private final boolean trustFiles;
  private final BtEngine.Dht dht;

  private final Object lock = new Object();
  private BtEngine engine;
  private FirstPeerWatch standby;
  private int standbyPort;
  private String failure;
  private final List<BtClient> clients = new ArrayList<>();
  private final Map<InfoHash, TorrentSessionState> states = new ConcurrentHashMap<>();
  private final Map<InfoHash, ReadOnlyFileStorage> storages = new ConcurrentHashMap<>();
  private final List<CompletableFuture<?>> running = new ArrayList<>();
  private final java.util.Set<InfoHash> reported = ConcurrentHashMap.newKeySet();
  private CountDownLatch started = new CountDownLatch(0);
  private long startedNanos;

  /** A torrent, the file it describes and the artifact name its uploads are counted under. */
  private record Seed(TorrentMetainfo metainfo, byte[] torrent, Path file, String label) {}

  private BitTorrentSeeder(Builder b) {
    this.bind = b.bind;
    this.port = b.port;
    this.advertise = b.advertise;
    this.peers = List.copyOf(b.peers);
    this.seeds = Map.copyOf(b.seeds);
    this.gate = b.gate;
    this.trackerInterval = b.trackerInterval;
    this.metrics = b.metrics;
    this.crashAfter = b.crashAfter;
    this.onDemand = b.onDemand;
    this.trustFiles = b.trustFiles;
    this.dht = b.dht;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks every file against its torrent's size, binds the port and starts seeding. Returns once the port
   * is bound; {@link #awaitSeeding(Duration)} waits until every file has been checked and is offered.
   *
   * @throws IOException when a file is missing or has the wrong size, or the port cannot be bound
   */
  public void start() throws IOException {
    synchronized (lock) {
      if (engine != null || standby != null) {
        return;
      }
      for (Seed seed : seeds.values()) {
        if (!Files.isRegularFile(seed.file())) {
          throw new IOException("cannot seed " + seed.metainfo().infoHash() + ": " + seed.file() + " is missing");
        }
        long size = Files.size(seed.file());
        if (size != seed.metainfo().totalLength()) {
          throw new IOException("cannot seed " + seed.file() + ": it has " + size + " bytes but its torrent "
              + seed.metainfo().infoHash() + " describes " + seed.metainfo().totalLength());
        }
      }
      startedNanos = System.nanoTime();
      failure = null;
      started = new CountDownLatch(seeds.size());
      if (!onDemand()) {
        startEngine(null);
        return;
      }
      ServerSocketChannel server = BtEngine.listen(bind, port);
      standbyPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
      standby = FirstPeerWatch.start(server, () -> wake(server));
      LOG.info("BitTorrent seeder listening for {} torrent(s) on {}:{}; it starts when the first peer connects",
          seeds.size(), bind.getHostAddress(), standbyPort);
    }
  }

  /**
   * Whether to wait for the first peer before starting bt: only when nothing needs announcing or dialling,
   * that is no static peers and no torrent with trackers; peers then find this seeder by its address.
   */
  private boolean onDemand() {
    return onDemand && peers.isEmpty()
        && seeds.values().stream().allMatch(seed -> seed.metainfo().trackerUrls().isEmpty());
  }

  /** The first peer is waiting: start bt on the socket it knocked on, which accepts it once seeding. */
  private void wake(ServerSocketChannel server) {
    synchronized (lock) {
      if (standby == null) {
        return;
      }
      standby = null;
      try {
        startEngine(server);
      } catch (IOException | RuntimeException e) {
        failure = "cannot start on the first peer: " + e.getMessage();
        LOG.error("BitTorrent seeder {}", failure);
        try {
          server.close();
        } catch (IOException ignored) {
          // the port is released either way
        }
      }
    }
  }

  private void startEngine(ServerSocketChannel server) throws IOException {
    StaticPeerSources staticPeers = new StaticPeerSources().addForEveryTorrent(peers);
    CountDownLatch latch = started;
    BtEngine.Builder engineBuilder = BtEngine.builder().bind(bind).port(port).advertise(advertise)
        .peers(staticPeers).trackerInterval(trackerInterval).trustFiles(trustFiles).dht(dht);
    if (server != null) {
      engineBuilder.listener(server).acceptFrom(latch);
    }
    BtEngine newEngine = engineBuilder.build();
    storages.clear();
    try {
      for (Seed seed : seeds.values()) {
        InfoHash hash = seed.metainfo().infoHash();
        ReadOnlyFileStorage storage = new ReadOnlyFileStorage(seed.file(), gate,
            n -> metrics.served(seed.label(), BitTorrentBackend.NAME, n));
        storages.put(hash, storage);
        newEngine.runtime().getEventSource().onTorrentStarted(TorrentId.fromBytes(hash.bytes()), e -> {
          storage.startServing();
          latch.countDown();
        });
        Torrent torrent = newEngine.runtime().service(IMetadataService.class).fromByteArray(seed.torrent());
        BtClient client = Bt.client(newEngine.runtime()).storage(storage).torrent(() -> torrent).build();
        running.add(client.startAsync(state -> states.put(hash, state), 1000));
        clients.add(client);
      }
    } catch (RuntimeException e) {
      clients.clear();
      running.clear();
      newEngine.close();
      throw new IOException("cannot start seeding: " + e.getMessage(), e);
    }
    engine = newEngine;
    LOG.info("BitTorrent seeder serving {} torrent(s) on {}:{}{}", seeds.size(), bind.getHostAddress(),
        newEngine.port(), newEngine.dhtPort() > 0 ? "; DHT node on UDP port " + newEngine.dhtPort() : "");
  }

  @Override
  public String backend() {
    return BitTorrentBackend.NAME;
  }

  /**
   * Running while every torrent client runs; failed when one stopped by itself (bt ends a client's
   * future when its session fails). A file that does not match its torrent is logged once, not failed:
   * a restart would not mend it, and the other torrents keep being seeded.
   */
  @Override
  public SeederHealth health() {
    synchronized (lock) {
      if (failure != null) {
        return SeederHealth.failed(failure);
      }
      if (engine == null && standby == null) {
        return SeederHealth.stopped();
      }
      for (int i = 0; i < running.size(); i++) {
        CompletableFuture<?> future = running.get(i);
        if (future.isDone()) {
          return SeederHealth.failed("torrent client stopped: " + why(future));
        }
      }
      if (crashAfter != null && System.nanoTime() - startedNanos > crashAfter.toNanos()) {
        return SeederHealth.failed("test fault: crashed " + crashAfter.toMillis() + " ms after start");
      }
    }
    // Only once bt has checked the file: before that, the state counts every piece as missing.
    states.forEach((hash, s) -> {
      ReadOnlyFileStorage storage = storages.get(hash);
      boolean checked = storage != null && storage.isServing();
      if (checked && s.getPiecesTotal() > 0 && s.getPiecesRemaining() > 0 && reported.add(hash)) {
        LOG.error("NOT SEEDING {} in full: {} of {} pieces do not match its torrent {}", seeds.get(hash).file(),
            s.getPiecesRemaining(), s.getPiecesTotal(), hash);
      }
    });
    return SeederHealth.running();
  }

  private static String why(CompletableFuture<?> future) {
    try {
      future.getNow(null);
      return "it ended";
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return cause.toString();
    }
  }

  @Override
  public void stop(Duration grace) {
    stop();
  }

  /** Waits until every file has been checked against its torrent and is offered to peers. */
  public boolean awaitSeeding(Duration timeout) throws InterruptedException {
    CountDownLatch latch;
    synchronized (lock) {
      latch = started;
    }
    return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** True between {@link #start()} and {@link #stop()}. */
  public boolean isRunning() {
    synchronized (lock) {
      return engine != null || standby != null;
    }
  }

  /** True while the seeder listens for its first peer and bt has not been started (see the builder's onDemand). */
  public boolean isStandingBy() {
    synchronized (lock) {
      return standby != null;
    }
  }

  /** The port peers connect to (useful with port 0), or -1 when not running. */
  public int port() {
    synchronized (lock) {
      return engine != null ? engine.port() : standby != null ? standbyPort : -1;
    }
  }

  /** The UDP port of the DHT node while bt runs with DHT on, else -1. */
  public int dhtPort() {
    synchronized (lock) {
      return engine != null ? engine.dhtPort() : -1;
    }
  }

  /** Bytes uploaded per torrent since the last start, by infohash in insertion order. */
  public Map<InfoHash, Long> uploaded() {
    Map<InfoHash, Long> out = new LinkedHashMap<>();
    seeds.keySet().forEach(h -> out.put(h, storages.containsKey(h) ? storages.get(h).uploaded() : 0L));
    return out;
  }

  /**
   * Torrents whose file does not match (some pieces fail their sha1 once checked): such a file is not
   * offered in full, and the seeder never overwrites it.
   */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    states.forEach((hash, s) -> {
      if (s.getPiecesTotal() > 0 && s.getPiecesRemaining() > 0) {
        out.add(seeds.get(hash).file() + " does not match torrent " + hash + ": " + s.getPiecesRemaining()
            + " of " + s.getPiecesTotal() + " pieces differ");
      }
    });
    return out;
  }

  /** Stops seeding and releases the port; idempotent. */
  public void stop() {
    synchronized (lock) {
      failure = null;
      if (standby != null) {
        standby.close();
        standby = null;
      }
      if (engine == null) {
        return;
      }
      try {
        clients.forEach(BtClient::stop);
      } finally {
        clients.clear();
        running.clear();
        engine.close();
        engine = null;
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Settings and torrents of a {@link BitTorrentSeeder}. */
  public static final class Builder {
    private InetAddress bind = InetAddress.getLoopbackAddress();
    private int port;
    private InetAddress advertise;
    private final List<PeerAddress> peers = new ArrayList<>();
    private final Map<InfoHash, Seed> seeds = new LinkedHashMap<>();
    private UploadGate gate = UploadGate.UNLIMITED;
    private Duration trackerInterval = Duration.ofMinutes(2);
    private SeedMetrics metrics = new SeedMetrics();
    private Duration crashAfter;
    private boolean onDemand;
    private boolean trustFiles;
    private BtEngine.Dht dht;

    private Builder() {}

    /**
     * Offer every piece at once instead of letting bt read and hash each whole file first: for files verified
     * before (the agent's, checked by sha256 at build time and read-only since). A file that does not match
     * its torrent is then not detected here; peers reject its bad pieces. Default: bt checks every piece.
     */
    public Builder trustFiles(boolean value) {
      this.trustFiles = value;
      return this;
    }

    /** Also join the BitTorrent DHT with these settings, to be found by peers of public swarms. Default: off. */
    public Builder dht(BtEngine.Dht value) {
      this.dht = value;
      return this;
    }

    /**
     * Listen on the port but start bt (its classes, threads and buffers: tens of MiB) only when the first
     * peer connects, which then waits in the backlog while the files are checked. Applies only when there is
     * nobody to announce to or dial: no static peers and no trackers in any torrent. Default: start at once.
     * Known limit: qBittorrent (libtorrent 2.0, encryption preferred) fails the connection that waited and
     * then backs off for minutes, so the agent does not use this; pierdat's own client and aria2c cope.
     */
    public Builder onDemand(boolean value) {
      this.onDemand = value;
      return this;
    }

    /** The address to listen on (bt would otherwise pick the first non-loopback interface). */
    public Builder bind(InetAddress value) {
      this.bind = Objects.requireNonNull(value);
      return this;
    }

    /** The port to listen on; 0 picks a free one (see {@link BitTorrentSeeder#port()}). */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** The address announced to HTTP trackers when peers must reach this one through another (NAT). */
    public Builder advertise(InetAddress value) {
      this.advertise = value;
      return this;
    }

    /** Peers to connect to for every torrent ({@code host:port} or {@code dns:name:port}). */
    public Builder peers(List<PeerAddress> values) {
      peers.addAll(values);
      return this;
    }

    /** Adds a torrent and the complete file it describes; uploads are counted under the torrent's name. */
    public Builder seed(byte[] torrent, Path file) {
      return seed(torrent, file, null);
    }

    /** Adds a torrent and the complete file it describes; uploads are counted under {@code label}. */
    public Builder seed(byte[] torrent, Path file, String label) {
      TorrentMetainfo meta = TorrentMetainfo.parse(torrent);
      if (meta.files().size() != 1) {
        throw new IllegalArgumentException("torrent " + meta.infoHash() + " has " + meta.files().size()
            + " files; the seeder serves single-file torrents");
      }
      seeds.put(meta.infoHash(), new Seed(meta, torrent.clone(), file, label == null ? meta.name() : label));
      return this;
    }

    /** The agent's counters, where uploaded bytes are counted per artifact; a private one by default. */
    public Builder metrics(SeedMetrics value) {
      this.metrics = Objects.requireNonNull(value);
      return this;
    }

    /** Test hook: report a failure this long after every start (see {@code TestFaults}). */
    public Builder crashAfter(Optional<Duration> value) {
      this.crashAfter = value.orElse(null);
      return this;
    }

    /** The hook every upload passes through (the agent's shared upload limit); unlimited by default. */
    public Builder uploadGate(UploadGate value) {
      this.gate = Objects.requireNonNull(value);
      return this;
    }

    /** How often trackers are announced to. */
    public Builder trackerInterval(Duration value) {
      this.trackerInterval = Objects.requireNonNull(value);
      return this;
    }

    public BitTorrentSeeder build() {
      return new BitTorrentSeeder(this);
    }
  }
}
