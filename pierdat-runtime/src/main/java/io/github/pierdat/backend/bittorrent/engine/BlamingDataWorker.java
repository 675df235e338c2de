package io.github.pierdat.backend.bittorrent.engine;

import bt.metainfo.TorrentId;
import bt.net.IPeerConnectionPool;
import bt.net.Peer;
import bt.net.buffer.BufferedData;
import bt.torrent.data.BlockRead;
import bt.torrent.data.BlockWrite;
import bt.torrent.data.DataWorker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bt's data worker, watched: every block written is credited to the peer that sent it, and the sha1 check
 * that bt runs once a piece is complete is reported to {@link PeerStrikes}. Peers banned by a failed check
 * are disconnected at once; {@link BanningConnectionFactory} keeps them out afterwards.
 */
final class BlamingDataWorker implements DataWorker {

  private static final Logger LOG = LoggerFactory.getLogger(BlamingDataWorker.class);

  private final DataWorker delegate;
  private final PeerStrikes strikes;
  private final IPeerConnectionPool connections;

  BlamingDataWorker(DataWorker delegate, PeerStrikes strikes, IPeerConnectionPool connections) {
    this.delegate = delegate;
    this.strikes = strikes;
    this.connections = connections;
  }

  @Override
  public CompletableFuture<BlockRead> addBlockRequest(TorrentId torrent, Peer peer, int piece, int offset, int length) {
    return delegate.addBlockRequest(torrent, peer, piece, offset, length);
  }

  @Override
  public CompletableFuture<BlockWrite> addBlock(TorrentId torrent, Peer peer, int piece, int offset,
      BufferedData buffer) {
    CompletableFuture<BlockWrite> write = delegate.addBlock(torrent, peer, piece, offset, buffer);
    write.thenAccept(block -> {
      if (block.getError().isPresent()) {
        LOG.warn("cannot store a block of piece {} from {}: {}", piece, PeerTraffic.describe(peer),
            block.getError().get().toString());
        return;
      }
      if (block.isRejected()) {
        return;
      }
      strikes.received(torrent, piece, PeerTraffic.describe(peer));
      // Present on the block that completed the piece: bt then checks the piece's sha1.
      block.getVerificationFuture().ifPresent(check -> check.thenAccept(ok -> {
        if (ok) {
          strikes.verified(torrent, piece);
        } else {
          disconnect(torrent, strikes.failed(torrent, piece));
        }
      }));
    });
    return write;
  }

  private void disconnect(TorrentId torrent, List<String> banned) {
    if (!banned.isEmpty()) {
      connections.visitConnections(torrent, c -> {
        if (banned.contains(PeerTraffic.describe(c.getRemotePeer()))) {
          c.closeQuietly();
        }
      });
    }
  }
}
