package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.testing.MemoryTarget;
import io.github.pierdat.testing.RecordingLog;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bittorrent.dht option: off, a magnet with nobody to ask fails at once; on, the DHT is asked. */
@Timeout(60)
class DhtOptionTest {

  private static final URI LONELY = URI.create("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567");

  @TempDir Path dir;

  private FetchContext.Builder context() {
    return FetchContext.builder().log(new RecordingLog())
        .option(BitTorrentOptions.BIND, "127.0.0.1")
        .option(BitTorrentOptions.STALL_TIMEOUT, "2")
        .option(BitTorrentOptions.STAGING_DIR, dir.toString());
  }

  @Test
  void withDhtOffAMagnetWithoutTrackersOrPeersFailsAtOnceSayingHowToTurnDhtOn() {
    FetchException e = assertThrows(FetchException.class,
        () -> new BitTorrentBackend().fetch(LONELY, new MemoryTarget(), context().build()));
    assertTrue(e.getMessage().contains("(DHT is off; bittorrent.dht=true turns it on)"), e.getMessage());
  }

  @Test
  void withDhtOnTheSameMagnetIsLookedUpAndTheFailureNamesTheDhtPort() {
    FetchContext on = context().option(BitTorrentOptions.DHT, "on")
        .option(BitTorrentOptions.DHT_BOOTSTRAP, "127.0.0.1:9").build();
    FetchException e = assertThrows(FetchException.class,
        () -> new BitTorrentBackend().fetch(LONELY, new MemoryTarget(), on));
    assertTrue(e.getMessage().contains("no progress for 2 s"), e.getMessage());
    assertTrue(e.getMessage().matches("(?s).*; DHT on \\(UDP port \\d+\\);.*"), e.getMessage());
  }

  @Test
  void badDhtValuesNameTheOptionAndTheExpectedForm() {
    FetchException bad = assertThrows(FetchException.class, () -> new BitTorrentBackend().fetch(LONELY,
        new MemoryTarget(), context().option(BitTorrentOptions.DHT, "maybe").build()));
    assertTrue(bad.getMessage().contains("option bittorrent.dht is 'maybe'; expected true (on) or false (off)"),
        bad.getMessage());
    FetchException node = assertThrows(FetchException.class, () -> new BitTorrentBackend().fetch(LONELY,
        new MemoryTarget(), context().option(BitTorrentOptions.DHT, "true")
            .option(BitTorrentOptions.DHT_BOOTSTRAP, "router.example").build()));
    assertTrue(node.getMessage().contains("option bittorrent.dhtBootstrap has 'router.example'; expected host:port"),
        node.getMessage());
  }
}
