package io.github.pierdat.backend.bittorrent.engine;

import bt.torrent.PieceStatistics;
import bt.torrent.selector.PieceSelector;
import bt.torrent.selector.RarestFirstSelector;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * Picks the pieces of a download in file order while every needed piece is equally available (all the
 * peers that have pieces are seeds, the pier-to-pier case), and rarest first with random ties otherwise
 * (other builders hold some pieces). In order, the file's verified prefix grows as pieces land and is
 * hashed while the rest arrives; once builders trade, rarest first keeps their pieces diverse, so each can
 * serve the others what they lack.
 */
public final class InOrderWhileEvenSelector implements PieceSelector {

  private final PieceSelector rarest = RarestFirstSelector.randomizedRarest();

  @Override
  public void initSelector(int pieces) {
    rarest.initSelector(pieces);
  }

  @Override
  public IntStream getNextPieces(BitSet relevant, PieceStatistics statistics) {
    int common = -1;
    for (int piece = relevant.nextSetBit(0); piece >= 0; piece = relevant.nextSetBit(piece + 1)) {
      int count = statistics.getCount(piece);
      if (count == 0) {
        continue;
      }
      if (common < 0) {
        common = count;
      } else if (count != common) {
        return rarest.getNextPieces(relevant, statistics);
      }
    }
    return relevant.stream().filter(piece -> statistics.getCount(piece) > 0);
  }
}
