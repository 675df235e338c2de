package io.github.pierdat.backend.bittorrent.engine;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;

/**
 * Watches a listening socket, without accepting, until the first peer knocks, then runs a callback once on
 * its own daemon thread. The peer stays in the socket's backlog for whoever accepts next, and the socket is
 * back in blocking mode when the callback runs. This lets a seeder with nobody to announce to keep the
 * BitTorrent runtime (its classes, threads and buffers) out of memory until a peer actually comes.
 */
public final class FirstPeerWatch implements AutoCloseable {

  private final ServerSocketChannel server;
  private final Selector selector;
  private volatile boolean closed;
  private volatile boolean handedOver;

  private FirstPeerWatch(ServerSocketChannel server, Runnable onFirstPeer) throws IOException {
    this.server = server;
    this.selector = Selector.open();
    try {
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      selector.close();
      throw e;
    }
    Thread thread = new Thread(() -> watch(onFirstPeer), "pierdat-bt-standby");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts watching {@code server}.
   *
   * @param server a bound listening socket, which the watch owns until the callback runs
   * @param onFirstPeer run once, when a peer is waiting to be accepted (not run after {@link #close()})
   */
  public static FirstPeerWatch start(ServerSocketChannel server, Runnable onFirstPeer) throws IOException {
    return new FirstPeerWatch(server, onFirstPeer);
  }

  private void watch(Runnable onFirstPeer) {
    try {
      while (!closed && selector.select() == 0) {
        // woken without a peer: keep waiting
      }
      selector.close();
      if (closed) {
        return;
      }
      server.configureBlocking(true);
      handedOver = true;
    } catch (IOException | ClosedSelectorException e) {
      // closed while waiting, or the socket broke: the seeder's health check sees it is not running
      return;
    }
    onFirstPeer.run();
  }

  /** Stops watching and closes the socket (unless the callback already took it over). */
  @Override
  public void close() {
    closed = true;
    try {
      selector.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
    if (!handedOver) {
      try {
        server.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }
}
