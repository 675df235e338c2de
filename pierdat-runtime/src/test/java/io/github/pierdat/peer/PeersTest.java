package io.github.pierdat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.Credentials;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.testing.RecordingLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeersTest {

  private static final String SHA = "ab".repeat(32);
  private final RecordingLog log = new RecordingLog();

  @Test
  void dnsLocalhostResolvesToLoopbackAddresses() throws Exception {
    List<InetSocketAddress> addresses = PeerAddress.parse("dns:localhost:7780").resolve();

    assertFalse(addresses.isEmpty());
    for (InetSocketAddress address : addresses) {
      assertTrue(Set.of("127.0.0.1", "0:0:0:0:0:0:0:1").contains(address.getAddress().getHostAddress()),
          "localhost resolved to " + addresses);
      assertEquals(7780, address.getPort());
    }
  }

  @Test
  void dnsPeerBecomesOneSourcePerAddressNamingTheEntry() throws Exception {
    List<PeerSource> sources = Peers.of(List.of(PeerAddress.parse("dns:localhost:7781"))).sources("m", SHA, log);

    List<URI> expected = java.util.Arrays.stream(InetAddress.getAllByName("localhost"))
        .map(a -> URI.create("http://" + PeerAddress.bracketed(a.getHostAddress()) + ":7781/artifacts/" + SHA))
        .toList();
    assertEquals(expected, sources.stream().map(PeerSource::uri).toList());
    assertTrue(sources.stream().allMatch(s -> s.label().startsWith("peer ") && s.label().endsWith(
        " (dns:localhost:7781)")), sources.toString());
  }

  @Test
  void literalPeersKeepTheirOrderAndAreAskedByTheSha256() {
    Peers peers = Peers.of(PeerAddress.parseList("10.0.0.7:7780, [fd00::7]:7781, seed.example:80"));

    List<PeerSource> sources = peers.sources("m", SHA, log);

    assertEquals(List.of(
        new PeerSource(URI.create("http://10.0.0.7:7780/artifacts/" + SHA), "peer 10.0.0.7:7780"),
        new PeerSource(URI.create("http://[fd00::7]:7781/artifacts/" + SHA), "peer [fd00::7]:7781"),
        new PeerSource(URI.create("http://seed.example:80/artifacts/" + SHA), "peer seed.example:80")), sources);
  }

  @Test
  void unresolvableDnsPeerIsLoggedAndLeftOut() {
    Peers peers = Peers.of(PeerAddress.parseList("dns:no-such-peer.invalid:7780, 127.0.0.1:7780"));

    List<PeerSource> sources = peers.sources("model.bin", SHA, log);

    assertEquals(List.of(URI.create("http://127.0.0.1:7780/artifacts/" + SHA)),
        sources.stream().map(PeerSource::uri).toList());
    assertTrue(log.text().contains("WARN [pierdat] model.bin: peer dns:no-such-peer.invalid:7780 skipped: "
        + "no-such-peer.invalid does not resolve"), log.text());
  }

  @Test
  void peerContextDropsCredentialsRetriesAndLongTimeouts() {
    FetchContext declared = FetchContext.builder()
        .credentials(new Credentials("user", "secret"))
        .maxAttempts(4)
        .connectTimeout(Duration.ofSeconds(20))
        .readTimeout(Duration.ofSeconds(60))
        .option("ipfs.gateways", "x")
        .build();

    FetchContext peer = Peers.peerContext(declared);

    assertTrue(peer.credentials().isEmpty());
    assertEquals(1, peer.maxAttempts());
    assertEquals(Duration.ofSeconds(Peers.CONNECT_SECONDS), peer.connectTimeout());
    assertEquals(Duration.ofSeconds(Peers.READ_SECONDS), peer.readTimeout());
    assertEquals(declared.options(), peer.options());
    assertEquals(Duration.ofSeconds(1),
        Peers.peerContext(declared.toBuilder().connectTimeout(Duration.ofSeconds(1)).build()).connectTimeout(),
        "a shorter build timeout is kept");
  }

  @Test
  void noPeersIsEmpty() {
    assertTrue(Peers.none().isEmpty());
    assertTrue(Peers.of(List.of()).isEmpty());
    assertEquals(List.of(), Peers.none().sources("m", SHA, log));
  }
}
