package io.github.pierdat.backend.bittorrent;

import bt.metainfo.Torrent;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import java.util.Arrays;

/** A single-file torrent's pieces: their length, the file's size and each piece's SHA-1. */
record PieceLayout(long pieceLength, long size, byte[] hashes) {

  static PieceLayout of(TorrentMetainfo meta) {
    return new PieceLayout(meta.pieceLength(), meta.totalLength(), meta.pieceHashes());
  }

  static PieceLayout of(Torrent torrent) {
    byte[] all = new byte[0];
    int n = 0;
    for (byte[] hash : torrent.getChunkHashes()) {
      if (all.length < (n + 1) * 20) {
        all = Arrays.copyOf(all, Math.max(20, all.length * 2));
      }
      System.arraycopy(hash, 0, all, n * 20, 20);
      n++;
    }
    return new PieceLayout(torrent.getChunkSize(), torrent.getSize(), Arrays.copyOf(all, n * 20));
  }

  int count() {
    return hashes.length / 20;
  }

  long start(int piece) {
    return piece * pieceLength;
  }

  long end(int piece) {
    return Math.min(size, (piece + 1) * pieceLength);
  }

  byte[] hash(int piece) {
    return Arrays.copyOfRange(hashes, piece * 20, piece * 20 + 20);
  }
}
