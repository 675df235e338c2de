package io.github.pierdat.backend.bittorrent;

import bt.Bt;
import bt.runtime.BtClient;
import bt.magnet.MagnetUri;
import bt.metainfo.IMetadataService;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentId;
import bt.net.Peer;
import bt.torrent.TorrentSessionState;
import bt.torrent.fileselector.FilePriority;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.backend.RandomAccessTarget;
import io.github.pierdat.backend.bittorrent.engine.BtEngine;
import io.github.pierdat.backend.bittorrent.engine.InOrderWhileEvenSelector;
import io.github.pierdat.backend.bittorrent.engine.StaticPeerSources;
import io.github.pierdat.backend.bittorrent.engine.TargetStorage;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo.FileEntry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Downloads the artifact's file of a torrent (its only file, or the one the source names) into a
 * {@link RandomAccessTarget} with a private bt runtime, and gives up when no new byte arrives for the stall
 * timeout (or the whole time limit passes), naming the trackers and peers it tried. Of a multi-file torrent,
 * only the pieces that overlap the named file are downloaded; its neighbours' share of the edge pieces goes
 * to a scratch file (see {@link TargetStorage#ofOneFile}).
 */
final class SwarmDownload {

  private static final long POLL_MILLIS = 200;

  private final TorrentSource source;
  private final RandomAccessTarget target;
  private final FetchLog log;
  private final Duration stallTimeout;
  private final Optional<Duration> timeout;
  private final InetAddress bind;
  private final int port;
  private final java.nio.file.Path scratchDir;
  private final BtEngine.Dht dht;
  private volatile int dhtPort = -1;

  /**
   * What a finished download reports; {@code corruptPiecesByPeer} counts, for each peer that sent blocks of
   * pieces that failed their sha1 check, how many such pieces, and {@code banned} names the peers banned for it.
   */
  record Result(long size, Map<String, Long> bytesByPeer, Map<String, Integer> corruptPiecesByPeer,
      Set<String> banned, Duration elapsed) {}

  /** The torrent's pieces once its metainfo is known (at once for a .torrent, from peers for a magnet). */
  private volatile WebSeedFill.Pieces pieces;
  /** Bytes received from each peer, kept when the download fails too. */
  private volatile Map<String, Long> received = Map.of();
  /** Corrupt pieces per peer and the peers banned for them, kept when the download fails too. */
  private volatile Map<String, Integer> corrupt = Map.of();
  private volatile Set<String> banned = Set.of();
  /** The index of the artifact's file in the torrent, -1 until the metainfo is known. */
  private volatile int chosen = -1;
  /** Its path in the torrent, for bt's file selector. */
  private volatile List<String> chosenPath;
  private volatile boolean multiFile;

  SwarmDownload(TorrentSource source, RandomAccessTarget target, FetchLog log, BitTorrentOptions options) {
    this.source = source;
    this.target = target;
    this.log = log;
    this.stallTimeout = options.stallTimeout();
    this.timeout = options.timeout();
    this.bind = options.bind();
    this.port = options.port();
    this.scratchDir = options.stagingDir();
    this.dht = options.dht();
  }

  /**
   * Runs the download; {@code sizeKnown} is told the file's size as soon as the metainfo is known, then
   * {@code piecesKnown} the pieces of a single-file torrent.
   *
   * @throws FetchException on a stall, a time-out, a multi-file torrent naming no file of it (or one it
   *     lacks) or an error inside bt
   */
  Result run(LongConsumer sizeKnown, Consumer<WebSeedFill.Pieces> piecesKnown) throws FetchException, IOException {
    if (source.metainfo() != null) {
      var meta = source.metainfo();
      choose(meta.files(), source.selectedFile());
      if (!multiFile) {
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < meta.pieceCount(); i++) {
          hashes.add(meta.pieceHash(i));
        }
        pieces = new WebSeedFill.Pieces(meta.pieceLength(), hashes, meta.totalLength());
        piecesKnown.accept(pieces);
      }
    }
    StaticPeerSources peers = new StaticPeerSources().addForTorrent(source.infoHash().bytes(), source.peers());
    long started = System.nanoTime();
    Set<String> seen = new TreeSet<>();
    Set<String> connected = ConcurrentHashMap.newKeySet();
    AtomicReference<TorrentSessionState> state = new AtomicReference<>();
    AtomicReference<String> refused = new AtomicReference<>();
    try (TargetStorage storage = TargetStorage.ofOneFile(target, () -> chosen, scratchDir);
        BtEngine engine = BtEngine.builder().bind(bind).port(port).peers(peers).dht(dht)
        .trackerInterval(Duration.ofSeconds(10)).peerDiscoveryInterval(Duration.ofMillis(500)).build()) {
      TorrentId id = TorrentId.fromBytes(source.infoHash().bytes());
      dhtPort = engine.dhtPort();
      if (dht != null) {
        log.info("bittorrent " + source.describe() + ": DHT on, UDP port " + dhtPort + ", bootstrap "
            + (dht.bootstrap().isEmpty() ? "public routers" : dht.bootstrap().stream()
                .map(a -> a.getHostString() + ":" + a.getPort()).collect(java.util.stream.Collectors.joining(", "))));
      }
      engine.runtime().getEventSource()
          .onPeerDiscovered(id, e -> record(seen, e.getPeer()))
          .onPeerConnected(id, e -> connected.add(describe(e.getPeer())))
          .onPeerDisconnected(id, e -> connected.remove(describe(e.getPeer())))
          .onPieceVerified(id, e -> verified(e.getPieceIndex()));
      engine.strikes().onBan(ban -> log.warn("bittorrent " + source.describe() + ": banned peer " + ban.peer()
          + " for the rest of the download: it sent blocks of " + ban.corruptPieces()
          + " piece(s) that failed their sha1 check"));
      var builder = Bt.client(engine.runtime())
          .storage(storage)
          // From seeds alone the file arrives front to back, so its verified prefix is hashed while the rest
          // arrives; among builders, rarest first with random ties keeps their pieces diverse.
          .selector(new InOrderWhileEvenSelector())
          .afterTorrentFetched(t -> {
            if (chosen >= 0) {
              return; // known from the .torrent file
            }
            List<FileEntry> files = t.getFiles().stream()
                .map(f -> new FileEntry(f.getPathElements(), f.getSize())).toList();
            try {
              choose(files, source.file().select(files, t.getName(), source.shown(), source.describe()));
            } catch (IllegalArgumentException e) {
              refused.set(e.getMessage());
              return;
            }
            if (!multiFile) {
              List<byte[]> hashes = new ArrayList<>();
              t.getChunkHashes().forEach(h -> hashes.add(h.clone()));
              pieces = new WebSeedFill.Pieces(t.getChunkSize(), hashes, t.getSize());
            }
            sizeKnown.accept(files.get(chosen).length());
            if (pieces != null) {
              piecesKnown.accept(pieces);
            }
          })
          // Pieces that lie wholly in other files are not downloaded; bt's own "remaining" excludes them.
          .fileSelector(f -> f.getPathElements().equals(chosenPath) ? FilePriority.NORMAL_PRIORITY : FilePriority.SKIP)
          .stopWhenDownloaded();
      if (source.torrentBytes() != null) {
        Torrent torrent = engine.runtime().service(IMetadataService.class).fromByteArray(source.torrentBytes());
        builder.torrent(() -> torrent);
      } else {
        MagnetUri.Builder magnet = MagnetUri.torrentId(id);
        if (source.name() != null) {
          magnet.name(source.name());
        }
        source.trackers().forEach(magnet::tracker);
        builder.magnet(magnet.buildUri());
      }
      BtClient client = builder.build();
      CompletableFuture<?> done = client.startAsync(state::set, POLL_MILLIS);
      Result result;
      try {
        result = await(client, done, state, refused, seen, connected, started);
      } finally {
        received = engine.traffic().receivedFrom(id);
        corrupt = engine.strikes().corruptPieces(id);
        banned = engine.strikes().banned();
      }
      return new Result(result.size(), received, corrupt, banned, result.elapsed());
    }
  }

  /** Passes a verified piece on as final bytes of the file (single-file torrents: piece i is at i × length). */
  private void verified(int piece) {
    WebSeedFill.Pieces known = pieces;
    if (known != null && !multiFile && piece >= 0 && piece < known.hashes().size()) {
      target.verified(known.start(piece), known.length(piece));
    }
  }

  private void choose(List<FileEntry> files, int index) {
    chosenPath = files.get(index).path();
    multiFile = files.size() > 1;
    chosen = index;
    if (multiFile) {
      log.info("bittorrent " + source.describe() + ": file [" + index + "] " + String.join("/", chosenPath)
          + " (" + files.get(index).length() + " bytes) of " + files.size() + " files; only the pieces"
          + " overlapping it are downloaded");
    }
  }

  /** Whether the torrent has several files (known once its metainfo is). */
  boolean multiFile() {
    return multiFile;
  }

  /** The torrent's pieces, if its metainfo became known and it is a single-file torrent. */
  Optional<WebSeedFill.Pieces> pieces() {
    return Optional.ofNullable(pieces);
  }

  /** Bytes received from each peer during {@link #run}, also after it failed. */
  Map<String, Long> bytesByPeer() {
    return received;
  }

  /** Corrupt pieces per peer during {@link #run}, also after it failed. */
  Map<String, Integer> corruptPiecesByPeer() {
    return corrupt;
  }

  /** Peers banned for corrupt pieces during {@link #run}, also after it failed. */
  Set<String> banned() {
    return banned;
  }

  private Result await(BtClient client, CompletableFuture<?> done, AtomicReference<TorrentSessionState> state,
      AtomicReference<String> refused, Set<String> seen, Set<String> connected, long started)
      throws FetchException, IOException {
    // Polls progress; the caller closes the runtime.
    long lastBytes = -1;
    int lastPieces = -1;
    long lastProgress = System.nanoTime();
    while (true) {
      try {
        done.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException e) {
        // still running: check progress below
      } catch (ExecutionException e) {
        if (refused.get() != null) {
          throw new FetchException(refused.get());
        }
        throw new FetchException("BitTorrent download of " + source.describe() + " failed: "
            + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        client.stop();
        Thread.currentThread().interrupt();
        throw new FetchException("interrupted while downloading " + source.describe(), e);
      }
      if (refused.get() != null) {
        client.stop();
        throw new FetchException(refused.get());
      }
      TorrentSessionState s = state.get();
      if (s != null && s.getPiecesSkipped() > 0 && s.getPiecesRemaining() == 0) {
        // bt 1.10 waits for every piece, skipped ones too, before it calls a download complete.
        client.stop();
        break;
      }
      long now = System.nanoTime();
      if (s != null && (s.getDownloaded() != lastBytes || s.getPiecesComplete() != lastPieces)) {
        if (lastBytes >= 0) {
          log.debug("bittorrent " + source.infoHash() + ": " + s.getPiecesComplete() + "/" + s.getPiecesTotal()
              + " pieces, " + s.getConnectedPeers().size() + " peer(s)");
        }
        lastBytes = s.getDownloaded();
        lastPieces = s.getPiecesComplete();
        lastProgress = now;
      }
      if (now - lastProgress > stallTimeout.toNanos()) {
        client.stop();
        throw new FetchException("no progress for " + stallTimeout.toSeconds() + " s downloading "
            + source.describe() + " over BitTorrent; " + attempted(seen, connected, s), true, null);
      }
      if (timeout.isPresent() && now - started > timeout.get().toNanos()) {
        client.stop();
        throw new FetchException("BitTorrent download of " + source.describe() + " took longer than "
            + timeout.get().toSeconds() + " s; " + attempted(seen, connected, s), true, null);
      }
    }
    TorrentSessionState last = state.get();
    if (last == null || last.getPiecesRemaining() > 0) {
      throw new FetchException("BitTorrent download of " + source.describe() + " stopped before it was"
          + " complete; " + attempted(seen, connected, last), true, null);
    }
    long size = target.size();
    return new Result(size, Map.of(), Map.of(), Set.of(), Duration.ofNanos(System.nanoTime() - started));
  }

  private String attempted(Set<String> seen, Set<String> connected, TorrentSessionState s) {
    StringBuilder m = new StringBuilder();
    m.append("trackers asked: ").append(source.trackers().isEmpty() ? "none" : String.join(", ", source.trackers()));
    m.append(dht == null ? "; DHT off" : "; DHT on (UDP port " + dhtPort + ")");
    m.append("; static peers: ").append(source.peers().isEmpty() ? "none" : source.peers().toString()
        .replaceAll("^\\[|\\]$", ""));
    synchronized (seen) {
      m.append("; peers found: ").append(seen.isEmpty() ? "none" : String.join(", ", seen));
    }
    m.append("; connected: ").append(connected.isEmpty() ? "none" : String.join(", ", new TreeSet<>(connected)));
    if (s != null && s.getPiecesTotal() > 0) {
      m.append("; ").append(s.getPiecesComplete()).append(" of ").append(s.getPiecesTotal()).append(" pieces");
    } else if (source.metainfo() == null) {
      m.append("; the torrent's metadata never arrived");
    }
    return m.toString();
  }

  private static void record(Set<String> seen, Peer peer) {
    synchronized (seen) {
      seen.add(describe(peer));
    }
  }

  private static String describe(Peer peer) {
    String host = peer.getInetAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + peer.getPort();
  }
}
