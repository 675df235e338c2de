package io.github.pierdat.backend.bittorrent.engine;

import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.net.Peer;
import bt.protocol.Piece;
import bt.torrent.annotation.Consumes;
import bt.torrent.messaging.MessageContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the piece bytes received from each peer, per torrent (a bt messaging agent). A peer is named by its
 * listening {@code address:port}; a peer that connected to us without telling its listening port is named
 * {@code incoming address:port} by the connection's remote port, so that several such peers on one address are
 * told apart rather than merged under an unknown port.
 */
public final class PeerTraffic {

  private final Map<TorrentId, Map<String, LongAdder>> received = new ConcurrentHashMap<>();

  /** Called by bt for every block a peer sends. */
  @Consumes
  public void consume(Piece piece, MessageContext context) {
    received.computeIfAbsent(context.getTorrentId(), t -> new ConcurrentHashMap<>())
        .computeIfAbsent(describe(context.getConnectionKey()), p -> new LongAdder())
        .add(piece.getLength());
  }

  /** Bytes received per peer ({@code address:port}) for one torrent, sorted by peer. */
  public Map<String, Long> receivedFrom(TorrentId torrent) {
    Map<String, Long> out = new TreeMap<>();
    received.getOrDefault(torrent, Map.of()).forEach((peer, bytes) -> out.put(peer, bytes.sum()));
    return out;
  }

  /** A connection's peer: {@code host:port}, or {@code incoming host:remotePort} when it gave no listening port. */
  static String describe(ConnectionKey connection) {
    Peer peer = connection.getPeer();
    return peer.isPortUnknown()
        ? "incoming " + address(peer) + ":" + connection.getRemotePort()
        : describe(peer);
  }

  /**
   * A peer where bt gives no connection (blocks written, connections made or refused): {@code host:port}, the
   * port being -1 for a peer that connected in without giving its listening port.
   */
  static String describe(Peer peer) {
    return address(peer) + ":" + peer.getPort();
  }

  private static String address(Peer peer) {
    String host = peer.getInetAddress().getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
