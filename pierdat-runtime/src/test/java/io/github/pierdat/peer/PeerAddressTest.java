package io.github.pierdat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PeerAddressTest {

  @Test
  void readsHostPortIpv4AndBracketedIpv6() {
    assertEquals(new PeerAddress("seed-1.example", 7780, false), PeerAddress.parse("seed-1.example:7780"));
    assertEquals(new PeerAddress("10.0.0.7", 1, false), PeerAddress.parse(" 10.0.0.7:1 "));
    assertEquals(new PeerAddress("::1", 65535, false), PeerAddress.parse("[::1]:65535"));
    assertEquals(new PeerAddress("fd00::7", 7780, false), PeerAddress.parse("[fd00::7]:7780"));
  }

  @Test
  void dnsFormStandsForEveryRecordOfTheName() {
    PeerAddress peer = PeerAddress.parse("dns:seeders.default.svc.cluster.local:7780");

    assertEquals("seeders.default.svc.cluster.local", peer.host());
    assertEquals(7780, peer.port());
    assertTrue(peer.everyRecord());
    assertTrue(PeerAddress.parse("DNS:web:80").everyRecord());
    assertFalse(PeerAddress.parse("web:80").everyRecord());
  }

  @Test
  void printsTheFormItReads() {
    for (String text : List.of("10.0.0.7:7780", "[::1]:7780", "dns:seeders:7780", "host.example:1")) {
      assertEquals(text, PeerAddress.parse(text).toString());
    }
    assertEquals("[::1]:7780", PeerAddress.parse("[::1]:7780").authority());
    assertEquals("seeders:7780", PeerAddress.parse("dns:seeders:7780").authority());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "nohost|it has no :port",
      "host:|'' is not a port from 1 to 65535",
      "host:0|'0' is not a port from 1 to 65535",
      "host:65536|'65536' is not a port from 1 to 65535",
      "host:77x|'77x' is not a port from 1 to 65535",
      ":7780|it has no host before :7780",
      "::1:7780|an IPv6 address needs brackets, as in [::1]:7780",
      "[::1:7780|'[::1' is not a bracketed IPv6 address",
      "[nothex]:7780|'[nothex]' is not a bracketed IPv6 address",
      "dns:[::1]:7780|dns: needs a name to resolve, not an address",
      "http://host:7780|a URL is not a peer: give only its host:port (the peer is asked at /artifacts/<sha256>)",
      "x:y:7780|'x:y' is not a host name or IPv4 address",
      "ho st:7780|'ho st' is not a host name or IPv4 address",
  })
  void malformedPeerSaysWhatIsWrong(String text, String problem) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse(text));

    assertEquals(problem, e.getMessage());
  }

  @Test
  void listSkipsBlanksAndQuotesTheBadEntry() {
    assertEquals(List.of(new PeerAddress("a", 1, false), new PeerAddress("b", 2, true)),
        PeerAddress.parseList(" a:1 ,, dns:b:2 ,"));
    assertEquals(List.of(), PeerAddress.parseList(null));
    assertEquals(List.of(), PeerAddress.parseList(" "));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PeerAddress.parseList("a:1, b"));
    assertEquals("'b' is not a peer: it has no :port", e.getMessage());
  }

  @Test
  void formsNameEveryAcceptedShape() {
    assertTrue(PeerAddress.FORMS.contains("host:port"));
    assertTrue(PeerAddress.FORMS.contains("[ipv6]:port"));
    assertTrue(PeerAddress.FORMS.contains("dns:name:port"));
  }
}
