package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.bittorrent.metainfo.InfoHash;
import io.github.pierdat.backend.bittorrent.metainfo.MagnetLink;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MagnetLinkTest {

  private static final String HEX = "3e18e95e19b3b97983be8740671ee89cb84190ec";
  // The same 20 bytes in RFC 4648 base32.
  private static final String BASE32 = "HYMOSXQZWO4XTA56Q5AGOHXITS4EDEHM";

  @Test
  void parsesHexInfohashWithTrackersPeersWebSeedsAndName() {
    MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + HEX.toUpperCase()
        + "&dn=model%20v1.bin&xl=1000&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce&tr=udp://t2:80"
        + "&x.pe=127.0.0.1%3A6881&x.pe=%5B%3A%3A1%5D%3A6882&x.pe=dns:seed.local:6881"
        + "&ws=https%3A%2F%2Forigin%2Fmodel.bin&so=0");
    assertEquals(HEX, link.infoHash().hex());
    assertEquals("model v1.bin", link.displayName());
    assertEquals(1000, link.length().orElseThrow());
    assertEquals(List.of("http://127.0.0.1:6969/announce", "udp://t2:80"), link.trackers());
    assertEquals(List.of("127.0.0.1:6881", "[::1]:6882", "dns:seed.local:6881"), link.peers());
    assertEquals(List.of("https://origin/model.bin"), link.webSeeds());
  }

  @Test
  void parsesBase32InfohashToTheSameBytesAsHex() {
    assertEquals(InfoHash.parse(HEX), MagnetLink.parse("magnet:?xt=urn:btih:" + BASE32).infoHash());
    assertEquals(InfoHash.parse(HEX), MagnetLink.parse("magnet:?xt=urn:btih:" + BASE32.toLowerCase()).infoHash());
  }

  @Test
  void printsAStableLinkThatParsesBackToItself() {
    MagnetLink link = MagnetLink.of(InfoHash.parse(HEX)).withDisplayName("a b.bin")
        .withTrackers(List.of("http://127.0.0.1:6969/announce")).withPeers(List.of("127.0.0.1:6881"))
        .withWebSeeds(List.of("https://o/a b.bin"));
    String text = link.toString();
    assertEquals("magnet:?xt=urn:btih:" + HEX + "&dn=a%20b.bin&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce"
        + "&x.pe=127.0.0.1%3A6881&ws=https%3A%2F%2Fo%2Fa%20b.bin", text);
    assertEquals(link, MagnetLink.parse(text));
    assertEquals(link, MagnetLink.parse(link.toUri()));
  }

  @Test
  void refusesALinkWithoutBtihNamingWhatIsExpected() {
    TorrentFormatException e = assertThrows(TorrentFormatException.class,
        () -> MagnetLink.parse("magnet:?dn=x&tr=http://t/announce"));
    assertTrue(e.getMessage().contains("has no xt=urn:btih:"), e.getMessage());
  }

  @Test
  void refusesAV2OnlyLinkSayingSo() {
    TorrentFormatException e = assertThrows(TorrentFormatException.class,
        () -> MagnetLink.parse("magnet:?xt=urn:btmh:1220" + "ab".repeat(32)));
    assertTrue(e.getMessage().contains("v2-only"), e.getMessage());
  }

  @Test
  void refusesAnInfohashOfTheWrongLengthOrAlphabet() {
    TorrentFormatException shortHash = assertThrows(TorrentFormatException.class,
        () -> MagnetLink.parse("magnet:?xt=urn:btih:abc123"));
    assertTrue(shortHash.getMessage().contains("'abc123' has 6 characters; expected 40 hex digits or 32 base32"),
        shortHash.getMessage());
    TorrentFormatException badHex = assertThrows(TorrentFormatException.class,
        () -> MagnetLink.parse("magnet:?xt=urn:btih:" + "g".repeat(40)));
    assertTrue(badHex.getMessage().contains("is not 40 hex digits"), badHex.getMessage());
    TorrentFormatException badBase32 = assertThrows(TorrentFormatException.class,
        () -> MagnetLink.parse("magnet:?xt=urn:btih:" + "1".repeat(32)));
    assertTrue(badBase32.getMessage().contains("not base32"), badBase32.getMessage());
  }

  @Test
  void refusesTwoDifferentInfohashes() {
    TorrentFormatException e = assertThrows(TorrentFormatException.class, () -> MagnetLink.parse(
        "magnet:?xt=urn:btih:" + HEX + "&xt.1=urn:btih:" + "0".repeat(40)));
    assertTrue(e.getMessage().contains("two different infohashes"), e.getMessage());
  }

  @Test
  void refusesSomethingThatIsNotAMagnetLink() {
    TorrentFormatException e = assertThrows(TorrentFormatException.class,
        () -> MagnetLink.parse("http://example/x.torrent"));
    assertTrue(e.getMessage().contains("is not a magnet link"), e.getMessage());
  }

  @Test
  void refusesAMalformedLength() {
    TorrentFormatException e = assertThrows(TorrentFormatException.class,
        () -> MagnetLink.parse("magnet:?xt=urn:btih:" + HEX + "&xl=ten"));
    assertTrue(e.getMessage().contains("xl is 'ten'"), e.getMessage());
  }
}
