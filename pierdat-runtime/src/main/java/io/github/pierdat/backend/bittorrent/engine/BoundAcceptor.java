package io.github.pierdat.backend.bittorrent.engine;

import bt.net.ConnectionResult;
import bt.net.ConnectionRoutine;
import bt.net.IPeerConnectionFactory;
import bt.net.InetPeer;
import bt.net.SocketChannelConnectionAcceptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;

/**
 * Accepts incoming peers on a server channel bound before the runtime starts, so a taken port fails the
 * start at once (bt binds lazily on its acceptor thread and only logs the failure), port 0 works, and
 * shutting down ends the accept loop quietly instead of with bt's ERROR stack trace.
 */
final class BoundAcceptor extends SocketChannelConnectionAcceptor {

  private final ServerSocketChannel server;
  private final IPeerConnectionFactory connectionFactory;
  private final CountDownLatch ready;

  BoundAcceptor(Selector selector, IPeerConnectionFactory connectionFactory, ServerSocketChannel server,
      CountDownLatch ready) throws IOException {
    super(selector, connectionFactory, (InetSocketAddress) server.getLocalAddress());
    this.server = server;
    this.connectionFactory = connectionFactory;
    this.ready = ready;
  }

  @Override
  public ConnectionRoutine accept() {
    try {
      // Peers wait in the backlog until their torrents are offered; bt would drop them before that.
      ready.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return closed();
    }
    while (server.isOpen()) {
      try {
        SocketChannel channel = server.accept();
        SocketAddress remote = channel.getRemoteAddress();
        return routine(channel, (InetSocketAddress) remote);
      } catch (IOException e) {
        // closed or interrupted on shutdown, or a peer that hung up while being accepted
        if (!server.isOpen() || Thread.currentThread().isInterrupted()) {
          break;
        }
      }
    }
    return closed();
  }

  /** bt's listener loop checks its shutdown flag after each routine; this one does nothing. */
  private static ConnectionRoutine closed() {
    return new ConnectionRoutine() {
      @Override
      public SocketAddress getRemoteAddress() {
        return new InetSocketAddress(0);
      }

      @Override
      public ConnectionResult establish() {
        return ConnectionResult.failure("acceptor closed");
      }

      @Override
      public void cancel() {}
    };
  }

  private ConnectionRoutine routine(SocketChannel channel, InetSocketAddress remote) {
    return new ConnectionRoutine() {
      @Override
      public SocketAddress getRemoteAddress() {
        return remote;
      }

      @Override
      public ConnectionResult establish() {
        try {
          return connectionFactory.createIncomingConnection(InetPeer.builder(remote.getAddress()).build(), channel);
        } catch (RuntimeException e) {
          cancel();
          return ConnectionResult.failure("incoming connection from " + remote + " failed", e);
        }
      }

      @Override
      public void cancel() {
        try {
          channel.close();
        } catch (IOException ignored) {
          // nothing more to release
        }
      }
    };
  }

  void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing a listening socket does not fail in a way worth reporting
    }
  }
}
