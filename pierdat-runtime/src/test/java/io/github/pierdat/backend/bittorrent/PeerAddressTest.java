package io.github.pierdat.backend.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerAddressTest {

  @Test
  void parsesHostPortBracketedIpv6AndDnsForms() {
    assertEquals(new PeerAddress("127.0.0.1", 6881, false), PeerAddress.parse("127.0.0.1:6881"));
    assertEquals(new PeerAddress("::1", 6882, false), PeerAddress.parse("[::1]:6882"));
    assertEquals(new PeerAddress("seeds.svc", 6881, true), PeerAddress.parse("dns:seeds.svc:6881"));
    assertEquals("[::1]:6882", PeerAddress.parse("[::1]:6882").toString());
    assertEquals(List.of(PeerAddress.parse("a:1"), PeerAddress.parse("dns:b:2")),
        PeerAddress.parseList(" a:1, dns:b:2 "));
  }

  @Test
  void dnsFormResolvesToEveryAddressOfTheName() throws Exception {
    List<InetSocketAddress> all = PeerAddress.parse("dns:localhost:7000").resolve();
    List<InetSocketAddress> expected = Arrays.stream(InetAddress.getAllByName("localhost"))
        .map(a -> new InetSocketAddress(a, 7000)).toList();
    assertEquals(expected, all);
    assertEquals(1, PeerAddress.parse("localhost:7000").resolve().size());
  }

  @Test
  void refusesMalformedPeersNamingTheValueAndTheForms() {
    for (String bad : List.of("nohost", "host:", "host:0", "host:70000", "::1:6881", ":6881", "dns:6881")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse(bad));
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("dns:name:port"), e.getMessage());
    }
  }
}
