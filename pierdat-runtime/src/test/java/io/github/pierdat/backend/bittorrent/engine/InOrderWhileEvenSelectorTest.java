package io.github.pierdat.backend.bittorrent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bt.torrent.PieceStatistics;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class InOrderWhileEvenSelectorTest {

  private static PieceStatistics counts(int... counts) {
    return new PieceStatistics() {
      @Override
      public int getCount(int piece) {
        return counts[piece];
      }

      @Override
      public int getPiecesTotal() {
        return counts.length;
      }
    };
  }

  private static BitSet needed(int total, int... have) {
    BitSet needed = new BitSet(total);
    needed.set(0, total);
    for (int piece : have) {
      needed.clear(piece);
    }
    return needed;
  }

  @Test
  void fromSeedsAloneThePiecesComeInFileOrder() {
    List<Integer> order = new InOrderWhileEvenSelector().getNextPieces(needed(8, 0, 3), counts(2, 2, 2, 2, 2, 2, 2, 2))
        .boxed().toList();

    assertEquals(List.of(1, 2, 4, 5, 6, 7), order);
  }

  @Test
  void piecesNoPeerHasAreNeverPicked() {
    List<Integer> order = new InOrderWhileEvenSelector().getNextPieces(needed(5), counts(1, 0, 1, 0, 1))
        .boxed().toList();

    assertEquals(List.of(0, 2, 4), order);
  }

  @Test
  void onceBuildersHoldSomePiecesTheRarestComeFirst() {
    // Pieces 5-7 are held by the seed alone; the others by the seed and a builder.
    InOrderWhileEvenSelector selector = new InOrderWhileEvenSelector();
    selector.initSelector(8); // as bt does when the torrent starts
    List<Integer> order = selector.getNextPieces(needed(8), counts(2, 2, 2, 2, 2, 1, 1, 1))
        .boxed().toList();

    assertEquals(8, order.size());
    assertTrue(List.of(5, 6, 7).containsAll(order.subList(0, 3)), order.toString());
  }
}
