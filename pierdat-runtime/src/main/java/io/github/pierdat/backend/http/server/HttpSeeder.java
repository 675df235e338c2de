package io.github.pierdat.backend.http.server;

import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.backend.Seeder;
import io.github.pierdat.backend.SeederHealth;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP seeder: serves every artifact of its backend at {@code /artifacts/<sha256>} and at its image
 * path (GET, HEAD, single byte ranges, ETag = sha256, conditional requests), the status document at
 * {@code /}, {@code /healthz} and {@code /metrics}, and a trustless IPFS gateway at {@code /ipfs/<cid>}
 * ({@code ?format=raw} or {@code ?format=car}) for the artifacts whose pier.dat entry has a CID, block by
 * block and regenerated from the read-only file (see {@link IpfsGatewayRoute}). A small server of its own on the JDK only: one thread
 * per connection up to a cap (beyond it: 503), sendfile for bodies, the agent's shared upload limiter,
 * files opened read-only. Restartable, as the watchdog requires.
 */
public final class HttpSeeder implements Seeder {

  /** The backend name of this seeder. */
  public static final String BACKEND = "http";

  private static final Logger LOG = LoggerFactory.getLogger(HttpSeeder.class);
  private static final AtomicLong THREADS = new AtomicLong();

  private final List<SeededArtifact> artifacts;
  private final SeedContext context;
  private final int maxConnections;
  private final long idleTimeoutMillis;
  private ArtifactRoutes routes;
  private IpfsGatewayRoute ipfs;
  private RequestHandler handler;
  private volatile Generation current;
  private volatile SeederHealth health = SeederHealth.stopped();

  private HttpSeeder(Builder b) {
    this.artifacts = List.copyOf(b.artifacts);
    this.context = b.context;
    this.maxConnections = b.maxConnections;
    this.idleTimeoutMillis = b.idleTimeout.toMillis();
  }

  /** A builder for a seeder of {@code artifacts}, listening on the context's bind address and HTTP port. */
  public static Builder builder(List<SeededArtifact> artifacts, SeedContext context) {
    return new Builder(artifacts, context);
  }

  @Override
  public String backend() {
    return BACKEND;
  }

  /** The port it listens on while running (useful when the settings ask for port 0), or -1. */
  public int port() {
    Generation g = current;
    return g == null ? -1 : g.port;
  }

  @Override
  public synchronized void start() throws IOException {
    if (current != null && !current.stopping && health.state() == SeederHealth.State.RUNNING) {
      return;
    }
    if (current != null) {
      // A failed run's connections and socket go before a new run binds the port.
      current.stop(Duration.ZERO);
      current = null;
    }
    if (routes == null) {
      routes = ArtifactRoutes.of(artifacts);
      ipfs = IpfsGatewayRoute.of(artifacts);
      handler = new RequestHandler(routes, ipfs, context);
    }
    String bind = context.settings().bind();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(bind), context.settings().httpPort());
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(address, 128);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + bind + ":" + context.settings().httpPort() + ": " + e.getMessage(), e);
    }
    Generation g = new Generation(server);
    current = g;
    health = SeederHealth.running();
    Thread acceptor = new Thread(g::acceptLoop, "pierdat-http-accept");
    acceptor.setDaemon(true);
    g.acceptor = acceptor;
    acceptor.start();
    Optional<Duration> crash = context.faults().crashAfter(BACKEND);
    crash.ifPresent(after -> g.crashAfter(after));
    LOG.info("HTTP seeder serving {} artifact(s) on {}:{}", routes.all().size(), bind, g.port);
  }

  @Override
  public SeederHealth health() {
    return health;
  }

  @Override
  public synchronized void stop(Duration grace) {
    Generation g = current;
    if (g == null) {
      return;
    }
    g.stop(grace);
    current = null;
    health = SeederHealth.stopped();
  }

  /** One run of the server, from start to stop or failure; a restart makes a new one. */
  private final class Generation {
    private final ServerSocketChannel server;
    private final int port;
    private final Semaphore slots = new Semaphore(maxConnections);
    private final Set<SocketIo> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile boolean crashInjected;
    private Thread acceptor;

    Generation(ServerSocketChannel server) throws IOException {
      this.server = server;
      this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    void acceptLoop() {
      while (true) {
        SocketChannel channel;
        try {
          channel = server.accept();
        } catch (IOException e) {
          if (!stopping) {
            String why = crashInjected ? "injected fault (PIERDAT_TEST_FAULTS test hook)" : e.toString();
            health = SeederHealth.failed(why);
            LOG.warn("HTTP seeder stopped accepting connections: {}", why);
          }
          return;
        }
        if (!slots.tryAcquire()) {
          refuse(channel);
          continue;
        }
        Thread worker = new Thread(null, () -> serve(channel), "pierdat-http-" + THREADS.incrementAndGet(), 256 * 1024);
        worker.setDaemon(true);
        worker.start();
      }
    }

    private void refuse(SocketChannel channel) {
      context.metrics().request(503);
      try (channel) {
        channel.configureBlocking(false);
        channel.write(ByteBuffer.wrap(("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
            + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        channel.shutdownOutput();
      } catch (IOException e) {
        LOG.debug("refusing a connection over the cap of {}: {}", maxConnections, e.toString());
      }
    }

    private void serve(SocketChannel channel) {
      SocketIo io = null;
      try {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        io = new SocketIo(channel, idleTimeoutMillis);
        connections.add(io);
        if (stopping) {
          return;
        }
        RequestReader reader = new RequestReader(io);
        while (!stopping) {
          HttpRequest request;
          try {
            request = reader.next();
          } catch (BadRequestException e) {
            LOG.debug("rejected a request: {}", e.getMessage());
            handler.reject(io, e);
            return;
          }
          if (request == null || !handler.handle(request, io)) {
            return;
          }
        }
      } catch (IOException e) {
        LOG.debug("connection ended: {}", e.toString());
      } catch (RuntimeException e) {
        LOG.warn("error while serving a connection", e);
      } finally {
        if (io != null) {
          connections.remove(io);
          io.release();
        } else {
          try {
            channel.close();
          } catch (IOException e) {
            // already gone
          }
        }
        slots.release();
      }
    }

    void crashAfter(Duration after) {
      Thread fault = new Thread(() -> {
        try {
          Thread.sleep(after.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        if (!stopping) {
          LOG.warn("test hook: crashing the HTTP seeder on purpose after {} ms", after.toMillis());
          crashInjected = true;
          closeServer();
        }
      }, "pierdat-http-fault");
      fault.setDaemon(true);
      fault.start();
    }

    private void closeServer() {
      try {
        server.close();
      } catch (IOException e) {
        // closed anyway
      }
    }

    void stop(Duration grace) {
      stopping = true;
      closeServer();
      try {
        acceptor.join(1000);
        long deadline = System.nanoTime() + grace.toNanos();
        while (!connections.isEmpty() && System.nanoTime() - deadline < 0) {
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      connections.forEach(SocketIo::close);
    }
  }

  /** Fluent builder for {@link HttpSeeder}. */
  public static final class Builder {
    private final List<SeededArtifact> artifacts;
    private final SeedContext context;
    private int maxConnections = 64;
    private Duration idleTimeout = Duration.ofSeconds(30);

    private Builder(List<SeededArtifact> artifacts, SeedContext context) {
      this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
      this.context = Objects.requireNonNull(context, "context");
    }

    /** Connections served at once (default 64); more are answered 503 and closed. */
    public Builder maxConnections(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1, was " + value);
      }
      this.maxConnections = value;
      return this;
    }

    /** How long a peer may send or take nothing before its connection is closed (default 30 s). */
    public Builder idleTimeout(Duration value) {
      this.idleTimeout = Objects.requireNonNull(value);
      return this;
    }

    public HttpSeeder build() {
      return new HttpSeeder(this);
    }
  }
}
