package io.github.pierdat.backend.bittorrent.engine;

import bt.metainfo.TorrentId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Which peer sent the blocks of each piece, and who is to blame when a piece fails its sha1 check.
 *
 * <p>The rule: a peer that alone supplied a corrupt piece is banned at once (nobody else could have
 * corrupted it). When several peers supplied blocks of a corrupt piece, each of them gets a strike, and a
 * peer is banned at {@value #STRIKES_TO_BAN} strikes; unless one of them is banned already: its blocks explain
 * the damage (bt keeps the blocks a peer sent before it was banned, and another peer completes the piece),
 * so the others are not blamed. A banned peer stays banned for the life of the engine (one download), for
 * every torrent. Peers are named {@code address:port} as bt reached them.
 *
 * <p>Thread-safe; bans are reported to the {@linkplain #onBan listeners} outside the lock.
 */
public final class PeerStrikes {

  /** Strikes (corrupt pieces shared with other peers) that ban a peer. */
  public static final int STRIKES_TO_BAN = 3;

  /** A peer that was just banned, with the number of corrupt pieces it supplied blocks of. */
  public record Ban(TorrentId torrent, String peer, int corruptPieces) {}

  private record PieceKey(TorrentId torrent, int piece) {}

  private final Map<PieceKey, Set<String>> contributors = new HashMap<>();
  private final Map<String, Integer> strikes = new HashMap<>();
  private final Map<TorrentId, Map<String, Integer>> corrupt = new HashMap<>();
  private final Set<String> banned = new HashSet<>();
  private final List<Consumer<Ban>> listeners = new CopyOnWriteArrayList<>();

  /** Calls {@code listener} for every peer banned from now on. */
  public PeerStrikes onBan(Consumer<Ban> listener) {
    listeners.add(Objects.requireNonNull(listener));
    return this;
  }

  /** {@code peer} supplied a block of {@code piece} that was written to storage. */
  public synchronized void received(TorrentId torrent, int piece, String peer) {
    contributors.computeIfAbsent(new PieceKey(torrent, piece), k -> new HashSet<>()).add(peer);
  }

  /** {@code piece} passed its check: its suppliers are forgotten. */
  public synchronized void verified(TorrentId torrent, int piece) {
    contributors.remove(new PieceKey(torrent, piece));
  }

  /**
   * {@code piece} failed its check: blames its suppliers (bt discards the piece and fetches it again).
   *
   * @return the peers banned by this failure, sorted
   */
  public List<String> failed(TorrentId torrent, int piece) {
    List<Ban> bans = new ArrayList<>();
    synchronized (this) {
      Set<String> suppliers = contributors.remove(new PieceKey(torrent, piece));
      if (suppliers == null) {
        return List.of();
      }
      Map<String, Integer> counts = corrupt.computeIfAbsent(torrent, t -> new HashMap<>());
      List<String> alreadyBanned = suppliers.stream().filter(banned::contains).toList();
      if (!alreadyBanned.isEmpty()) {
        alreadyBanned.forEach(peer -> counts.merge(peer, 1, Integer::sum));
        return List.of();
      }
      for (String peer : new TreeSet<>(suppliers)) {
        int pieces = counts.merge(peer, 1, Integer::sum);
        int total = strikes.merge(peer, suppliers.size() == 1 ? STRIKES_TO_BAN : 1, Integer::sum);
        if (total >= STRIKES_TO_BAN && banned.add(peer)) {
          bans.add(new Ban(torrent, peer, pieces));
        }
      }
    }
    bans.forEach(ban -> listeners.forEach(l -> l.accept(ban)));
    return bans.stream().map(Ban::peer).toList();
  }

  /** Whether {@code peer} ({@code address:port}) is banned. */
  public synchronized boolean isBanned(String peer) {
    return banned.contains(peer);
  }

  /** The banned peers, sorted. */
  public synchronized Set<String> banned() {
    return new TreeSet<>(banned);
  }

  /** For each peer that supplied blocks of corrupt pieces of {@code torrent}: how many pieces, sorted by peer. */
  public synchronized Map<String, Integer> corruptPieces(TorrentId torrent) {
    return new TreeMap<>(corrupt.getOrDefault(torrent, Map.of()));
  }
}
