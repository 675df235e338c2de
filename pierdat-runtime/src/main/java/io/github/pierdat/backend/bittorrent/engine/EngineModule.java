package io.github.pierdat.backend.bittorrent.engine;

import bt.data.ChunkVerifier;
import bt.data.DefaultChunkVerifier;
import bt.data.digest.Digester;
import bt.event.EventSource;
import bt.module.BitTorrentProtocol;
import bt.module.PeerConnectionSelector;
import bt.module.ServiceModule;
import bt.net.DataReceiver;
import bt.net.IConnectionHandlerFactory;
import bt.net.IPeerConnectionFactory;
import bt.net.IPeerConnectionPool;
import bt.net.PeerConnectionFactory;
import bt.net.SharedSelector;
import bt.net.SocketChannelConnectionAcceptor;
import bt.net.buffer.IBufferManager;
import bt.net.pipeline.IChannelPipelineFactory;
import bt.protocol.Message;
import bt.protocol.handler.MessageHandler;
import bt.runtime.Config;
import bt.service.ApplicationService;
import bt.service.IRuntimeLifecycleBinder;
import bt.service.Version;
import bt.torrent.TorrentRegistry;
import bt.torrent.data.BlockCache;
import bt.torrent.data.DataWorker;
import bt.torrent.data.DefaultDataWorker;
import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.CountDownLatch;

/**
 * pierdat's changes to bt's wiring: the non-spinning selector, the pre-bound acceptor, static peers,
 * per-peer traffic counting, and banning peers that send corrupt pieces ({@link PeerStrikes}). Added as a
 * custom module, so its bindings override bt's standard ones.
 */
final class EngineModule implements Module {

  private final ServerSocketChannel server;
  private final StaticPeerSources peers;
  private final PeerTraffic traffic;
  private final PeerStrikes strikes;
  private final CountDownLatch acceptFrom;
  private final boolean trustFiles;
  private BoundAcceptor acceptor;

  EngineModule(ServerSocketChannel server, StaticPeerSources peers, PeerTraffic traffic, PeerStrikes strikes,
      CountDownLatch acceptFrom, boolean trustFiles) {
    this.server = server;
    this.peers = peers;
    this.traffic = traffic;
    this.strikes = strikes;
    this.acceptFrom = acceptFrom;
    this.trustFiles = trustFiles;
  }

  @Override
  public void configure(Binder binder) {
    ServiceModule.extend(binder).addPeerSourceFactory(peers).addMessagingAgent(traffic);
  }

  /**
   * bt reads its version (which goes into its peer id) from its jar's manifest, which the shaded agent jar
   * does not keep; it then warns and uses 0.0. The version is fixed to the bt release pierdat uses.
   */
  @Provides
  @Singleton
  ApplicationService version() {
    Version version = new Version(1, 10, false);
    return () -> version;
  }

  @Provides
  @Singleton
  @PeerConnectionSelector
  SharedSelector selector(IRuntimeLifecycleBinder lifecycle) {
    try {
      NonSpinningSelector selector = new NonSpinningSelector(Selector.open());
      lifecycle.onShutdown("Close pierdat selector", () -> {
        try {
          selector.close();
        } catch (IOException ignored) {
          // already closed
        }
      });
      return selector;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open an I/O selector", e);
    }
  }

  @Provides
  @Singleton
  SocketChannelConnectionAcceptor acceptor(@PeerConnectionSelector SharedSelector selector,
      IPeerConnectionFactory connections, IRuntimeLifecycleBinder lifecycle) {
    try {
      acceptor = new BoundAcceptor(selector, connections, server, acceptFrom);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the listening socket", e);
    }
    BoundAcceptor created = acceptor;
    lifecycle.onShutdown("Close pierdat acceptor", created::close);
    return created;
  }

  /** bt's piece checker, which a seeder of build-verified files skips for whole files. */
  @Provides
  @Singleton
  ChunkVerifier verifier(Config config, Digester digester) {
    ChunkVerifier checking = new DefaultChunkVerifier(digester, config.getNumOfHashingThreads());
    return trustFiles ? new TrustedFileVerifier(checking) : checking;
  }

  /** bt's data worker, made as bt makes it, with piece checks blamed on the peers that sent the blocks. */
  @Provides
  @Singleton
  DataWorker dataWorker(IRuntimeLifecycleBinder lifecycle, TorrentRegistry torrents, ChunkVerifier verifier,
      BlockCache cache, Config config, IPeerConnectionPool connections) {
    return new BlamingDataWorker(new DefaultDataWorker(lifecycle, torrents, verifier, cache, config), strikes,
        connections);
  }

  /** bt's connection factory, made as bt makes it, refusing banned peers. */
  @Provides
  @Singleton
  IPeerConnectionFactory connectionFactory(@PeerConnectionSelector SharedSelector selector,
      IConnectionHandlerFactory handlers, @BitTorrentProtocol MessageHandler<Message> protocol,
      TorrentRegistry torrents, IChannelPipelineFactory pipelines, IBufferManager buffers, DataReceiver receiver,
      EventSource events, Config config) {
    return new BanningConnectionFactory(new PeerConnectionFactory(selector, handlers, pipelines, protocol, torrents,
        buffers, receiver, events, config), strikes);
  }
}
