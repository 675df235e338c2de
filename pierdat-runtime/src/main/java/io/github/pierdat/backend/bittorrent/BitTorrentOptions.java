package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.peer.PeerAddress;
import io.github.pierdat.backend.bittorrent.engine.BtEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@link FetchContext#option(String) fetch options} the BitTorrent backend reads. All are optional.
 *
 * <table>
 * <caption>Options</caption>
 * <tr><th>key</th><th>meaning</th><th>default</th></tr>
 * <tr><td>{@value #PEERS}</td><td>peers to ask for every torrent, comma-separated {@code host:port},
 *   {@code [v6]:port} or {@code dns:name:port} (every A/AAAA record)</td><td>none</td></tr>
 * <tr><td>{@value #TRACKERS}</td><td>trackers to ask besides the source's own, comma-separated</td><td>none</td></tr>
 * <tr><td>{@value #STALL_TIMEOUT}</td><td>seconds without a new byte before the source fails (so the fetcher
 *   falls back to the next source)</td><td>30</td></tr>
 * <tr><td>{@value #TIMEOUT}</td><td>seconds the whole download may take, 0 for no limit</td><td>0</td></tr>
 * <tr><td>{@value #BIND}</td><td>address to listen on and connect from</td><td>0.0.0.0</td></tr>
 * <tr><td>{@value #PORT}</td><td>port to listen on, 0 for any free one</td><td>0</td></tr>
 * <tr><td>{@value #WEB_SEEDS}</td><td>the artifact's other sources, space-separated (set by the fetcher);
 *   its http(s) ones fill in the pieces the swarm did not deliver, besides the torrent's url-list and the
 *   magnet's ws=</td><td>none</td></tr>
 * <tr><td>{@value #DHT}</td><td>join the BitTorrent DHT to find peers: {@code true}/{@code on} or
 *   {@code false}/{@code off}</td><td>false</td></tr>
 * <tr><td>{@value #DHT_BOOTSTRAP}</td><td>DHT nodes to join through, comma-separated {@code host:port};
 *   without it, the public routers (router.bittorrent.com, ...)</td><td>none</td></tr>
 * <tr><td>{@value #DHT_PORT}</td><td>the DHT node's UDP port, 0 for any free one</td><td>0</td></tr>
 * <tr><td>{@value #STAGING_DIR}</td><td>where to stage pieces when the target cannot be written out of order
 *   </td><td>{@code java.io.tmpdir}</td></tr>
 * </table>
 */
public final class BitTorrentOptions {

  public static final String PEERS = "bittorrent.peers";
  public static final String TRACKERS = "bittorrent.trackers";
  public static final String STALL_TIMEOUT = "bittorrent.stallTimeout";
  public static final String TIMEOUT = "bittorrent.timeout";
  public static final String BIND = "bittorrent.bind";
  public static final String PORT = "bittorrent.port";
  public static final String STAGING_DIR = "bittorrent.stagingDir";
  public static final String DHT = "bittorrent.dht";
  public static final String DHT_BOOTSTRAP = "bittorrent.dhtBootstrap";
  public static final String DHT_PORT = "bittorrent.dhtPort";
  public static final String WEB_SEEDS = FetchContext.OTHER_SOURCES;

  static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

  private final FetchContext context;

  BitTorrentOptions(FetchContext context) {
    this.context = context;
  }

  List<PeerAddress> peers() {
    return context.option(PEERS).map(v -> {
      try {
        return PeerAddress.parseList(v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("option " + PEERS + ": " + e.getMessage() + "; expected "
            + PeerAddress.FORMS, e);
      }
    }).orElse(List.of());
  }

  List<String> trackers() {
    return context.option(TRACKERS).map(v -> List.of(v.trim().split("\\s*,\\s*")))
        .map(l -> l.stream().filter(s -> !s.isEmpty()).toList()).orElse(List.of());
  }

  Duration stallTimeout() {
    return seconds(STALL_TIMEOUT).orElse(DEFAULT_STALL_TIMEOUT);
  }

  Optional<Duration> timeout() {
    return seconds(TIMEOUT).filter(d -> !d.isZero());
  }

  InetAddress bind() {
    String value = context.option(BIND).orElse("0.0.0.0");
    try {
      return InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("option " + BIND + " is '" + value + "', which does not resolve;"
          + " expected an address of this machine such as 127.0.0.1 or 0.0.0.0", e);
    }
  }

  /** The DHT settings when {@value #DHT} is on, else null. */
  BtEngine.Dht dht() {
    String value = context.option(DHT).orElse("false").trim().toLowerCase(java.util.Locale.ROOT);
    boolean on = switch (value) {
      case "true", "on", "yes", "1" -> true;
      case "false", "off", "no", "0", "" -> false;
      default -> throw new IllegalArgumentException("option " + DHT + " is '" + value + "'; expected true (on) or"
          + " false (off)");
    };
    if (!on) {
      return null;
    }
    List<InetSocketAddress> nodes = new java.util.ArrayList<>();
    for (String node : context.option(DHT_BOOTSTRAP).orElse("").trim().split("\\s*,\\s*")) {
      if (node.isEmpty()) {
        continue;
      }
      int colon = node.lastIndexOf(':');
      try {
        int nodePort = Integer.parseInt(node.substring(colon + 1));
        String host = node.substring(0, colon).replaceAll("^\\[|\\]$", "");
        if (colon > 0 && !host.isEmpty() && nodePort > 0 && nodePort <= 65535) {
          nodes.add(InetSocketAddress.createUnresolved(host, nodePort));
          continue;
        }
      } catch (RuntimeException e) {
        // reported below
      }
      throw new IllegalArgumentException("option " + DHT_BOOTSTRAP + " has '" + node + "'; expected host:port"
          + " (e.g. router.bittorrent.com:6881), comma-separated");
    }
    return new BtEngine.Dht(port(DHT_PORT), nodes);
  }

  int port() {
    return port(PORT);
  }

  private int port(String key) {
    String value = context.option(key).orElse("0");
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("option " + key + " is '" + value + "'; expected a port in 0..65535");
  }

  /** The artifact's own http(s) sources (the fetch's credentials belong to these). */
  List<String> webSeeds() {
    return context.option(WEB_SEEDS).map(v -> List.of(v.trim().split("\\s+")))
        .map(l -> l.stream().filter(s -> s.startsWith("http://") || s.startsWith("https://")).toList())
        .orElse(List.of());
  }

  Path stagingDir() {
    return Path.of(context.option(STAGING_DIR).orElse(System.getProperty("java.io.tmpdir")));
  }

  private Optional<Duration> seconds(String key) {
    return context.option(key).map(v -> {
      try {
        double s = Double.parseDouble(v.trim());
        if (s >= 0) {
          return Duration.ofMillis((long) (s * 1000));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("option " + key + " is '" + v + "'; expected seconds >= 0, e.g. 30");
    });
  }
}
