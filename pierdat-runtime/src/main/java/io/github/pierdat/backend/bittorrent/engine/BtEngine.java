package io.github.pierdat.backend.bittorrent.engine;

import bt.dht.DHTConfig;
import bt.dht.DHTModule;
import bt.module.ServiceModule;
import bt.net.InetPeerAddress;
import bt.runtime.BtRuntime;
import bt.runtime.Config;
import com.google.inject.Binder;
import com.google.inject.Module;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.Objects;

/**
 * One bt-core runtime wired the way pierdat needs it: listening on an explicit address and port (bound
 * before start, so a taken port fails at once), no DHT unless {@link Builder#dht} turns it on, no local service discovery (multicast leaves the
 * machine), HTTP(S) and UDP trackers, static peers, per-peer traffic counts, peers that send corrupt pieces
 * banned ({@link PeerStrikes}), and a selector that does not livelock on one CPU. Build with {@link #builder()}; {@link #close()} shuts it down.
 */
public final class BtEngine implements AutoCloseable {

  static {
    // bt logs its wiring at INFO, and ERROR stack traces when it is stopped on purpose: from its acceptor
    // thread on every shutdown (pierdat's acceptor avoids that one), from a processing stage that is
    // interrupted, and from its receiving loop when a closing connection races an update. pierdat reports
    // outcomes itself, so bt stays quiet unless the host configured it. These are slf4j-simple's keys
    // (Maven's logger reads them too); names come from classes so they follow the shaded jar's relocation.
    quietByDefault(bt.Bt.class.getPackageName(), "warn");
    quietByDefault(bt.net.IncomingConnectionListener.class.getName(), "off");
    quietByDefault(bt.net.DataReceivingLoop.class.getName(), "off");
    quietByDefault(bt.processor.TerminateOnErrorProcessingStage.class.getName(), "off");
    // Logs every piece that fails its sha1 check as an ERROR; pierdat reports them (PeerStrikes) and the
    // block writes that fail (BlamingDataWorker) itself.
    quietByDefault(bt.torrent.messaging.PieceConsumer.class.getName(), "off");
  }

  private static void quietByDefault(String logger, String level) {
    String key = "org.slf4j.simpleLogger.log." + logger;
    if (System.getProperty(key) == null) {
      System.setProperty(key, level);
    }
  }

  private final BtRuntime runtime;
  private final ServerSocketChannel server;
  private final StaticPeerSources peers;
  private final PeerTraffic traffic;
  private final PeerStrikes strikes;
  private final int port;
  private final int dhtPort;

  /**
   * DHT settings.
   *
   * @param port the UDP port of the DHT node, 0 for a free one
   * @param bootstrap nodes to join the DHT through; empty for the public routers (router.bittorrent.com, ...)
   */
  public record Dht(int port, List<InetSocketAddress> bootstrap) {
    public Dht {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("DHT port " + port + " is outside 0..65535");
      }
      bootstrap = List.copyOf(bootstrap);
    }
  }

  private BtEngine(Builder b) throws IOException {
    this.peers = b.peers;
    this.traffic = new PeerTraffic();
    this.strikes = new PeerStrikes();
    this.server = b.listener != null ? b.listener : listen(b.bind, b.port);
    this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    if (!b.bind.isAnyLocalAddress()) {
      peers.exclude(new InetSocketAddress(b.bind, port));
    }
    if (b.advertise != null) {
      peers.exclude(new InetSocketAddress(b.advertise, port));
    }

    Config config = new Config();
    config.setAcceptorAddress(b.bind);
    config.setAcceptorPort(port);
    if (b.advertise != null) {
      config.setPeerAddress(b.advertise);
    }
    config.setTrackerQueryInterval(b.trackerInterval);
    config.setPeerDiscoveryInterval(b.peerDiscoveryInterval);
    config.setPeerConnectionRetryInterval(Duration.ofSeconds(2));
    // bt polls a socket once a second while negotiating encryption (MSE): seconds per connection.
    config.setMseWaitBetweenReads(Duration.ofMillis(10));
    // bt bans a peer it could not reach for 30 min; a replica that is still starting would stay banned.
    config.setUnreachablePeerBanDuration(Duration.ofSeconds(30));
    config.setShutdownHookTimeout(Duration.ofSeconds(3));
    config.setNumOfHashingThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
    // A downloader claims a new piece from a peer only once an assigned one is complete and verified, so bt's
    // default of 3 pieces per peer leaves the connection idle after every 3 pieces (768 KiB with 256 KiB
    // pieces): from one aria2c seeder on loopback the swarm took twice as long. Its time-out counts from
    // the last block received, not from the assignment, so more pieces do not make slow peers time out.
    config.setMaxSimultaneouslyAssignedPieces(16);
    // bt gives every connection a 1 MiB direct buffer each way and pools them for good: 2 MiB of RSS per peer
    // ever connected. A block is 16 KiB; 256 KiB still moves many blocks per system call.
    config.setNetworkBufferSize(256 * 1024);
    Module trackers = (Binder binder) -> ServiceModule.extend(binder)
        .addTrackerFactory(HttpAnnounceFactory.class, "http", "https");
    try {
      this.dhtPort = b.dht == null ? -1 : b.dht.port() != 0 ? b.dht.port() : freeUdpPort(b.bind);
      var builder = BtRuntime.builder(config)
          .module(new EngineModule(server, peers, traffic, strikes, b.acceptFrom, b.trustFiles))
          .module(trackers);
      if (b.dht != null) {
        DHTConfig dht = new DHTConfig();
        dht.setListeningPort(dhtPort);
        dht.setShouldUseIPv6(false);
        // Named nodes replace the public routers, so a private or test DHT never reaches the internet.
        dht.setShouldUseRouterBootstrap(b.dht.bootstrap().isEmpty());
        dht.setBootstrapNodes(b.dht.bootstrap().stream()
            .map(a -> new InetPeerAddress(a.getHostString(), a.getPort())).toList());
        builder.module(new DHTModule(dht));
      }
      this.runtime = builder
          .disableLocalServiceDiscovery()
          .disableAutomaticShutdown()
          .build();
    } catch (RuntimeException | IOException e) {
      server.close();
      throw e;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the listening socket for BitTorrent peers; a taken port fails here with a message saying what to do.
   *
   * @param bind the address to listen on
   * @param port the port, 0 for a free one
   */
  public static ServerSocketChannel listen(InetAddress bind, int port) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(new InetSocketAddress(bind, port), 64);
      return server;
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen for BitTorrent peers on " + hostPort(bind, port) + ": "
          + e.getMessage() + "; choose another port or free this one", e);
    }
  }

  /** The runtime, for building clients. */
  public BtRuntime runtime() {
    return runtime;
  }

  /** The UDP port of the DHT node, or -1 when DHT is off. */
  public int dhtPort() {
    return dhtPort;
  }

  /** The port peers connect to. */
  public int port() {
    return port;
  }

  public StaticPeerSources peers() {
    return peers;
  }

  public PeerTraffic traffic() {
    return traffic;
  }

  /** Blame for corrupt pieces: which peers sent them, which are banned; listen with {@link PeerStrikes#onBan}. */
  public PeerStrikes strikes() {
    return strikes;
  }

  /** Stops every client and the runtime, and closes the listening socket. */
  @Override
  public void close() {
    try {
      runtime.shutdown();
    } finally {
      try {
        server.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }

  private static int freeUdpPort(InetAddress bind) throws IOException {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(bind, 0))) {
      return probe.getLocalPort();
    }
  }

  private static String hostPort(InetAddress address, int port) {
    String host = address.getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Settings of a {@link BtEngine}. */
  public static final class Builder {
    private InetAddress bind = InetAddress.getLoopbackAddress();
    private int port;
    private InetAddress advertise;
    private StaticPeerSources peers = new StaticPeerSources();
    private Duration trackerInterval = Duration.ofSeconds(30);
    private Duration peerDiscoveryInterval = Duration.ofSeconds(2);
    private ServerSocketChannel listener;
    private CountDownLatch acceptFrom = new CountDownLatch(0);
    private boolean trustFiles;
    private Dht dht;

    private Builder() {}

    /** Joins the BitTorrent DHT to find peers (and lets it find this one); null (the default) for no DHT. */
    public Builder dht(Dht value) {
      this.dht = value;
      return this;
    }

    /**
     * A socket already bound with {@link BtEngine#listen}, which the engine takes over (and closes);
     * {@link #bind} and {@link #port} must name its address. Default: the engine binds its own.
     */
    public Builder listener(ServerSocketChannel value) {
      this.listener = Objects.requireNonNull(value);
      return this;
    }

    /**
     * Take the files of started torrents as complete without hashing them (for seeding files the build
     * verified); pieces downloaded later are still checked. Default: bt checks every piece at start.
     */
    public Builder trustFiles(boolean value) {
      this.trustFiles = value;
      return this;
    }

    /** Incoming peers are accepted only once this latch is open (default: at once). */
    public Builder acceptFrom(CountDownLatch value) {
      this.acceptFrom = Objects.requireNonNull(value);
      return this;
    }

    /** The address to listen on and connect from (bt would pick the first non-loopback interface). */
    public Builder bind(InetAddress value) {
      this.bind = Objects.requireNonNull(value);
      return this;
    }

    /** The port to listen on; 0 picks a free one. */
    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port " + value + " is outside 0..65535");
      }
      this.port = value;
      return this;
    }

    /** The address announced to trackers when peers must use another one (NAT); null for the bind address. */
    public Builder advertise(InetAddress value) {
      this.advertise = value;
      return this;
    }

    public Builder peers(StaticPeerSources value) {
      this.peers = Objects.requireNonNull(value);
      return this;
    }

    /** How often trackers are asked for peers. */
    public Builder trackerInterval(Duration value) {
      this.trackerInterval = Objects.requireNonNull(value);
      return this;
    }

    /** How often peer sources (trackers' answers, static peers) are polled for new peers. */
    public Builder peerDiscoveryInterval(Duration value) {
      this.peerDiscoveryInterval = Objects.requireNonNull(value);
      return this;
    }

    public BtEngine build() throws IOException {
      return new BtEngine(this);
    }
  }
}
