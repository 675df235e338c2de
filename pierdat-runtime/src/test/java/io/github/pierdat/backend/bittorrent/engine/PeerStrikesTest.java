package io.github.pierdat.backend.bittorrent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bt.metainfo.TorrentId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerStrikesTest {

  private static final TorrentId TORRENT = torrent(1);
  private static final String HOSTILE = "127.0.0.1:6001";
  private static final String HONEST = "127.0.0.1:6002";

  private static TorrentId torrent(int fill) {
    byte[] hash = new byte[20];
    Arrays.fill(hash, (byte) fill);
    return TorrentId.fromBytes(hash);
  }

  @Test
  void peerThatAloneSuppliedACorruptPieceIsBannedAtOnce() {
    PeerStrikes strikes = new PeerStrikes();
    List<PeerStrikes.Ban> bans = new ArrayList<>();
    strikes.onBan(bans::add);
    strikes.received(TORRENT, 3, HOSTILE);
    strikes.received(TORRENT, 3, HOSTILE);

    assertEquals(List.of(HOSTILE), strikes.failed(TORRENT, 3));
    assertTrue(strikes.isBanned(HOSTILE));
    assertEquals(List.of(new PeerStrikes.Ban(TORRENT, HOSTILE, 1)), bans);
    assertEquals(Map.of(HOSTILE, 1), strikes.corruptPieces(TORRENT));
  }

  @Test
  void peersThatSharedCorruptPiecesAreBannedAtTheThirdStrike() {
    PeerStrikes strikes = new PeerStrikes();
    for (int piece = 0; piece < PeerStrikes.STRIKES_TO_BAN - 1; piece++) {
      strikes.received(TORRENT, piece, HOSTILE);
      strikes.received(TORRENT, piece, HONEST);
      assertEquals(List.of(), strikes.failed(TORRENT, piece));
    }
    assertFalse(strikes.isBanned(HOSTILE));
    assertFalse(strikes.isBanned(HONEST));

    strikes.received(TORRENT, 9, HONEST);
    strikes.received(TORRENT, 9, HOSTILE);
    assertEquals(List.of(HOSTILE, HONEST), strikes.failed(TORRENT, 9));
    assertEquals(Map.of(HOSTILE, 3, HONEST, 3), strikes.corruptPieces(TORRENT));
  }

  @Test
  void sharedStrikesAndASoleCorruptPieceAddUp() {
    PeerStrikes strikes = new PeerStrikes();
    strikes.received(TORRENT, 0, HOSTILE);
    strikes.received(TORRENT, 0, HONEST);
    strikes.failed(TORRENT, 0);
    strikes.received(TORRENT, 1, HOSTILE);

    assertEquals(List.of(HOSTILE), strikes.failed(TORRENT, 1));
    assertEquals(Set.of(HOSTILE), strikes.banned());
    assertEquals(Map.of(HOSTILE, 2, HONEST, 1), strikes.corruptPieces(TORRENT));
  }

  @Test
  void corruptPieceWithBlocksFromABannedPeerBlamesOnlyThatPeer() {
    PeerStrikes strikes = new PeerStrikes();
    // The hostile peer had begun pieces 1 to 4 when its piece 0 failed; the honest peer completes them.
    for (int piece = 0; piece <= 4; piece++) {
      strikes.received(TORRENT, piece, HOSTILE);
    }
    strikes.failed(TORRENT, 0);
    for (int piece = 1; piece <= 4; piece++) {
      strikes.received(TORRENT, piece, HONEST);
      assertEquals(List.of(), strikes.failed(TORRENT, piece));
    }

    assertEquals(Set.of(HOSTILE), strikes.banned());
    assertEquals(Map.of(HOSTILE, 5), strikes.corruptPieces(TORRENT));
  }

  @Test
  void verifiedPieceBlamesNobodyAndIsForgotten() {
    PeerStrikes strikes = new PeerStrikes();
    strikes.received(TORRENT, 5, HONEST);
    strikes.verified(TORRENT, 5);

    // The piece was checked; a second failure report without new blocks has nobody to blame.
    assertEquals(List.of(), strikes.failed(TORRENT, 5));
    assertEquals(Set.of(), strikes.banned());
    assertEquals(Map.of(), strikes.corruptPieces(TORRENT));
  }

  @Test
  void corruptPieceIsRefetchedWithFreshSuppliers() {
    PeerStrikes strikes = new PeerStrikes();
    strikes.received(TORRENT, 2, HOSTILE);
    strikes.failed(TORRENT, 2);
    // bt discards the piece and fetches it again, now from the honest peer: that copy is sound.
    strikes.received(TORRENT, 2, HONEST);
    strikes.verified(TORRENT, 2);

    assertEquals(Set.of(HOSTILE), strikes.banned());
    assertEquals(Map.of(HOSTILE, 1), strikes.corruptPieces(TORRENT));
  }

  @Test
  void piecesOfDifferentTorrentsAreCountedApartButABanHoldsForAll() {
    PeerStrikes strikes = new PeerStrikes();
    TorrentId other = torrent(2);
    strikes.received(TORRENT, 0, HOSTILE);
    strikes.received(other, 0, HONEST);
    strikes.failed(TORRENT, 0);

    assertTrue(strikes.isBanned(HOSTILE));
    assertFalse(strikes.isBanned(HONEST));
    assertEquals(Map.of(), strikes.corruptPieces(other));
    strikes.verified(other, 0);
    assertEquals(Map.of(), strikes.corruptPieces(other));
  }

  @Test
  void banIsReportedOnce() {
    PeerStrikes strikes = new PeerStrikes();
    List<PeerStrikes.Ban> bans = new ArrayList<>();
    strikes.onBan(bans::add);
    for (int piece = 0; piece < 3; piece++) {
      strikes.received(TORRENT, piece, HOSTILE);
      strikes.failed(TORRENT, piece);
    }
    assertEquals(1, bans.size(), bans.toString());
    assertEquals(Map.of(HOSTILE, 3), strikes.corruptPieces(TORRENT));
  }
}
