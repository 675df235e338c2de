package io.github.pierdat.backend.bittorrent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.net.InetPeer;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PeerTrafficTest {

  private static final TorrentId TORRENT = TorrentId.fromBytes(new byte[20]);

  @Test
  void peerWithAKnownListeningPortIsNamedByIt() throws Exception {
    InetPeer peer = InetPeer.build(InetAddress.getByName("127.0.0.1"), 6881);

    assertEquals("127.0.0.1:6881", PeerTraffic.describe(new ConnectionKey(peer, 6881, TORRENT)));
  }

  @Test
  void incomingPeersWithoutAListeningPortAreToldApartByTheirConnectionsRemotePort() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");

    assertEquals("incoming 127.0.0.1:40001",
        PeerTraffic.describe(new ConnectionKey(InetPeer.build(loopback), 40001, TORRENT)));
    assertEquals("incoming 127.0.0.1:40002",
        PeerTraffic.describe(new ConnectionKey(InetPeer.build(loopback), 40002, TORRENT)));
  }

  @Test
  void ipv6AddressesAreBracketed() throws Exception {
    InetPeer peer = InetPeer.build(InetAddress.getByName("::1"), 6881);

    assertEquals("[0:0:0:0:0:0:0:1]:6881", PeerTraffic.describe(new ConnectionKey(peer, 6881, TORRENT)));
  }
}
