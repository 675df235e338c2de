package io.github.pierdat.backend.bittorrent.engine;

import bt.metainfo.TorrentId;
import bt.net.ConnectionResult;
import bt.net.IPeerConnectionFactory;
import bt.net.Peer;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * bt's connection factory with banned peers ({@link PeerStrikes}) refused: bt is not asked to dial them,
 * and a connection they open to us (from the same address and port) is closed unanswered.
 */
final class BanningConnectionFactory implements IPeerConnectionFactory {

  private final IPeerConnectionFactory delegate;
  private final PeerStrikes strikes;

  BanningConnectionFactory(IPeerConnectionFactory delegate, PeerStrikes strikes) {
    this.delegate = delegate;
    this.strikes = strikes;
  }

  @Override
  public ConnectionResult createOutgoingConnection(Peer peer, TorrentId torrent) {
    if (strikes.isBanned(PeerTraffic.describe(peer))) {
      return ConnectionResult.failure("peer is banned: it sent corrupt pieces");
    }
    return delegate.createOutgoingConnection(peer, torrent);
  }

  @Override
  public ConnectionResult createIncomingConnection(Peer peer, SocketChannel channel) {
    if (strikes.isBanned(PeerTraffic.describe(peer))) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // refused either way
      }
      return ConnectionResult.failure("peer is banned: it sent corrupt pieces");
    }
    return delegate.createIncomingConnection(peer, channel);
  }
}
