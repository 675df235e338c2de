package io.github.pierdat.backend.bittorrent.engine;

import bt.metainfo.TorrentId;
import bt.net.InetPeer;
import bt.net.Peer;
import bt.peer.PeerSource;
import bt.peer.PeerSourceFactory;
import io.github.pierdat.peer.PeerAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peers given by configuration rather than found by trackers: for every torrent, or for one torrent (a
 * magnet's {@code x.pe}). {@code dns:} names are resolved again at most every {@link #REFRESH}, so replicas
 * that come and go are picked up.
 */
public final class StaticPeerSources implements PeerSourceFactory {

  static final Duration REFRESH = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(StaticPeerSources.class);

  private final List<PeerAddress> everyTorrent = new CopyOnWriteArrayList<>();
  private final Map<TorrentId, List<PeerAddress>> byTorrent = new ConcurrentHashMap<>();
  private final Map<PeerAddress, Resolved> resolved = new ConcurrentHashMap<>();
  private final Set<InetSocketAddress> localAddresses = ConcurrentHashMap.newKeySet();

  private record Resolved(List<InetSocketAddress> addresses, long atNanos) {}

  /** Peers asked for every torrent. */
  public StaticPeerSources addForEveryTorrent(Collection<PeerAddress> peers) {
    everyTorrent.addAll(peers);
    return this;
  }

  /** Peers asked for one torrent only. */
  public StaticPeerSources addForTorrent(byte[] infoHash, Collection<PeerAddress> peers) {
    byTorrent.computeIfAbsent(TorrentId.fromBytes(infoHash), t -> new CopyOnWriteArrayList<>()).addAll(peers);
    return this;
  }

  /** Addresses that are this runtime itself (a {@code dns:} name of all replicas includes it): skipped. */
  public StaticPeerSources exclude(InetSocketAddress self) {
    localAddresses.add(self);
    return this;
  }

  /** Every configured peer of {@code torrent}, as written, for messages. */
  public List<PeerAddress> configured(TorrentId torrent) {
    List<PeerAddress> all = new ArrayList<>(everyTorrent);
    all.addAll(byTorrent.getOrDefault(torrent, List.of()));
    return all;
  }

  @Override
  public PeerSource getPeerSource(TorrentId torrentId) {
    return new PeerSource() {
      private List<Peer> peers = List.of();

      @Override
      public boolean update() {
        peers = resolve(configured(torrentId));
        return !peers.isEmpty();
      }

      @Override
      public Collection<Peer> getPeers() {
        return peers;
      }
    };
  }

  private List<Peer> resolve(List<PeerAddress> configured) {
    Set<InetSocketAddress> addresses = new LinkedHashSet<>();
    for (PeerAddress peer : configured) {
      Resolved r = resolved.get(peer);
      if (r == null || System.nanoTime() - r.atNanos() > REFRESH.toNanos()) {
        try {
          r = new Resolved(peer.resolve(), System.nanoTime());
          resolved.put(peer, r);
        } catch (UnknownHostException e) {
          LOG.debug("peer {} does not resolve: {}", peer, e.getMessage());
          continue;
        }
      }
      addresses.addAll(r.addresses());
    }
    addresses.removeAll(localAddresses);
    List<Peer> peers = new ArrayList<>();
    addresses.forEach(a -> peers.add(InetPeer.build(a.getAddress(), a.getPort())));
    return peers;
  }
}
