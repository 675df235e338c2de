package io.github.pierdat.peer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A peer as users write it: {@code host:port}, {@code [ipv6]:port}, or {@code dns:name:port}, which stands for
 * every A and AAAA record of {@code name} at the time it is resolved (a Kubernetes headless service or a compose
 * service name becomes a list of peers). The one parser of peer lists: the plugin's {@code <peers>}, the CLI's
 * {@code --peer} and the agent's {@code PIERDAT_PEERS} all read peers with it.
 *
 * @param host a host name or literal address (an IPv6 literal without brackets)
 * @param port the TCP port, 1 to 65535
 * @param everyRecord true for the {@code dns:} form: every address the name resolves to is a peer
 */
public record PeerAddress(String host, int port, boolean everyRecord) {

  /** The accepted forms, for messages. */
  public static final String FORMS = "host:port, [ipv6]:port or dns:name:port with a port from 1 to 65535, "
      + "e.g. 10.0.0.7:7780, [fd00::7]:7780 or dns:seeders.default.svc.cluster.local:7780";

  private static final String DNS = "dns:";
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\\.?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9]+)?");

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
   * @throws IllegalArgumentException saying what is wrong with {@code text} (without the accepted forms: callers
   *     name their parameter and add {@link #FORMS})
   */
  public static PeerAddress parse(String text) {
    String s = text == null ? "" : text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("it is empty");
    }
    if (s.contains("://")) {
      throw new IllegalArgumentException("a URL is not a peer: give only its host:port (the peer is asked at "
          + "/artifacts/<sha256>)");
    }
    boolean dns = s.regionMatches(true, 0, DNS, 0, DNS.length());
    String address = dns ? s.substring(DNS.length()) : s;
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("it has no :port");
    }
    String host = address.substring(0, colon);
    String port = address.substring(colon + 1);
    if (host.startsWith("[")) {
      if (dns) {
        throw new IllegalArgumentException("dns: needs a name to resolve, not an address");
      }
      if (!host.endsWith("]") || !IPV6.matcher(host.substring(1, host.length() - 1)).matches()) {
        throw new IllegalArgumentException("'" + host + "' is not a bracketed IPv6 address");
      }
      host = host.substring(1, host.length() - 1);
    } else if (IPV6.matcher(host).matches()) {
      throw new IllegalArgumentException("an IPv6 address needs brackets, as in [" + host + "]:" + port);
    } else if (host.isEmpty()) {
      throw new IllegalArgumentException("it has no host before :" + port);
    } else if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("'" + host + "' is not a host name or IPv4 address");
    }
    int number;
    try {
      number = port.chars().allMatch(Character::isDigit) && port.length() <= 5 ? Integer.parseInt(port) : -1;
    } catch (NumberFormatException e) {
      number = -1;
    }
    if (number < 1 || number > 65535) {
      throw new IllegalArgumentException("'" + port + "' is not a port from 1 to 65535");
    }
    return new PeerAddress(host, number, dns);
  }

  /**
   * Parses a comma-separated list (blanks between commas are ignored; null or blank gives an empty list).
   *
   * @throws IllegalArgumentException for the first entry that is not a peer, quoting it and saying what is wrong
   */
  public static List<PeerAddress> parseList(String text) {
    List<PeerAddress> peers = new ArrayList<>();
    if (text == null) {
      return peers;
    }
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        peers.add(parse(part));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + part.trim() + "' is not a peer: " + e.getMessage(), e);
      }
    }
    return peers;
  }

  /**
   * The socket addresses this peer stands for, resolved now: every A/AAAA record for {@code dns:}, else the
   * host's first address.
   *
   * @throws UnknownHostException when the name does not resolve
   */
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

  /** {@code host:port} as it goes into a URL: IPv6 literals in brackets. */
  public String authority() {
    return bracketed(host) + ":" + port;
  }

  /** The form {@link #parse(String)} reads. */
  @Override
  public String toString() {
    return (everyRecord ? DNS : "") + authority();
  }

  /** An IPv6 literal in brackets, with its zone's '%' escaped as a URI needs it. */
  static String bracketed(String host) {
    return host.contains(":") ? "[" + host.replace("%", "%25") + "]" : host;
  }
}
