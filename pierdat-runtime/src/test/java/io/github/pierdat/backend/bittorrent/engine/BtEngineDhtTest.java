package io.github.pierdat.backend.bittorrent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bt.dht.DHTService;
import com.google.inject.Key;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DHT is off unless asked for; on, the engine installs bt's DHT node on a UDP port. */
@Timeout(60)
class BtEngineDhtTest {

  @Test
  void dhtIsOffByDefaultAndNoDhtServiceExists() throws Exception {
    try (BtEngine engine = BtEngine.builder().bind(InetAddress.getLoopbackAddress()).build()) {
      engine.runtime().startup();
      assertEquals(-1, engine.dhtPort());
      assertNull(engine.runtime().getInjector().getExistingBinding(Key.get(DHTService.class)));
    }
  }

  /**
   * mldht opens its UDP socket only on a globally routable address (or the default route's source), never on
   * loopback or bogon ranges, so on a test machine the node starts without a socket; what is checked here is
   * that the DHT service is installed with the port it was given.
   */
  @Test
  void dhtOnInstallsTheDhtServiceOnAFreeUdpPort() throws Exception {
    // Bootstraps from a loopback node only, so the test never reaches the public routers.
    BtEngine.Dht dht = new BtEngine.Dht(0, List.of(InetSocketAddress.createUnresolved("127.0.0.1", 9)));
    try (BtEngine engine = BtEngine.builder().bind(InetAddress.getLoopbackAddress()).dht(dht).build()) {
      assertNotNull(engine.runtime().getInjector().getExistingBinding(Key.get(DHTService.class)));
      int port = engine.dhtPort();
      assertTrue(port > 0, "a free UDP port: " + port);
      engine.runtime().startup();
    }
  }

  @Test
  void dhtPortOutsideTheRangeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BtEngine.Dht(70000, List.of()));
    assertTrue(e.getMessage().contains("DHT port 70000 is outside 0..65535"), e.getMessage());
  }

}
