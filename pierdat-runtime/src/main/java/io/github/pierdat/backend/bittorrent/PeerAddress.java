package io.github.pierdat.backend.bittorrent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A static peer as users write it: {@code host:port}, {@code [v6-address]:port}, or {@code dns:name:port},
 * which stands for every A and AAAA record of {@code name} (a headless service of replicas, say).
 *
 * @param host a host name or literal address (without brackets)
 * @param port the TCP port
 * @param everyRecord true for the {@code dns:} form: connect to every address the name resolves to
 */
public record PeerAddress(String host, int port, boolean everyRecord) {

  public PeerAddress {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("peer host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("peer port " + port + " is outside 1..65535");
    }
  }

  /**
   * Parses one peer.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  public static PeerAddress parse(String text) {
    String s = text.trim();
    boolean dns = s.toLowerCase(Locale.ROOT).startsWith("dns:");
    if (dns) {
      s = s.substring(4);
    }
    int colon = s.lastIndexOf(':');
    String host = colon > 0 ? s.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      host = ""; // an IPv6 literal needs brackets, else its port is ambiguous
    }
    int port = -1;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // reported below
    }
    if (colon <= 0 || host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("peer '" + text + "' is not host:port, [ipv6]:port or dns:name:port"
          + " with a port in 1..65535");
    }
    return new PeerAddress(host, port, dns);
  }

  /** Parses a comma- or whitespace-separated list; blank gives an empty list. */
  public static List<PeerAddress> parseList(String text) {
    List<PeerAddress> peers = new ArrayList<>();
    if (text != null) {
      for (String part : text.split("[,\\s]+")) {
        if (!part.isBlank()) {
          peers.add(parse(part));
        }
      }
    }
    return peers;
  }

  /** The socket addresses to connect to: every record for {@code dns:}, else the first address. */
  public List<InetSocketAddress> resolve() throws UnknownHostException {
    List<InetSocketAddress> out = new ArrayList<>();
    if (everyRecord) {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        out.add(new InetSocketAddress(a, port));
      }
    } else {
      out.add(new InetSocketAddress(InetAddress.getByName(host), port));
    }
    return out;
  }

  /** The form {@link #parse(String)} reads. */
  @Override
  public String toString() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return (everyRecord ? "dns:" : "") + h + ":" + port;
  }
}
