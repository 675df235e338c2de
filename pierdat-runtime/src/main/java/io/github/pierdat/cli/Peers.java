package io.github.pierdat.cli;

import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.backend.http.HttpBackend;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Peers given with {@code --peer}: other pierdat agents, asked before the sources. An agent's HTTP
 * seeder serves every artifact at {@code /artifacts/<sha256>}, so a peer is a source only once the sha256
 * is known. Forms: {@code host:port}, {@code [v6]:port}, and {@code dns:name:port} (every address the name
 * resolves to, as with a headless service).
 */
final class Peers {

  private static final Pattern V6 = Pattern.compile("\\[([0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?)]:(\\d{1,5})");
  private static final Pattern HOST = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\\d{1,5})");

  private Peers() {}

  /** Splits and checks a comma-separated {@code --peer} value. */
  static List<String> parse(String value) throws UsageException {
    List<String> peers = new ArrayList<>();
    for (String item : value.split(",")) {
      String peer = item.trim();
      if (peer.isEmpty()) {
        continue;
      }
      String address = peer.startsWith("dns:") ? peer.substring(4) : peer;
      Matcher m = V6.matcher(address);
      Matcher h = HOST.matcher(address);
      String port = m.matches() ? m.group(3) : h.matches() ? h.group(3) : null;
      if (port == null || (peer.startsWith("dns:") && m.matches())) {
        throw new UsageException("--peer '" + peer + "' is not a peer: expected host:port, [v6]:port or "
            + "dns:name:port, e.g. 10.0.0.7:7780");
      }
      int p = Integer.parseInt(port);
      if (p < 1 || p > 65535) {
        throw new UsageException("--peer '" + peer + "' has port " + port + ": expected 1 to 65535");
      }
      peers.add(peer);
    }
    if (peers.isEmpty()) {
      throw new UsageException("--peer is empty: expected host:port, [v6]:port or dns:name:port");
    }
    return peers;
  }

  /**
   * The sources the peers offer for {@code sha256}, in order; a {@code dns:} name that does not resolve is
   * logged and skipped (peers are a shortcut, the sources still follow).
   */
  static List<URI> sources(List<String> peers, String sha256, FetchLog log) {
    List<URI> sources = new ArrayList<>();
    String path = HttpBackend.SEED_PATH_PREFIX + sha256;
    for (String peer : peers) {
      if (!peer.startsWith("dns:")) {
        sources.add(URI.create("http://" + peer + path));
        continue;
      }
      String address = peer.substring(4);
      int colon = address.lastIndexOf(':');
      String name = address.substring(0, colon);
      String port = address.substring(colon + 1);
      try {
        for (InetAddress a : InetAddress.getAllByName(name)) {
          String host = a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
          sources.add(URI.create("http://" + host + ":" + port + path));
        }
      } catch (UnknownHostException e) {
        log.warn("[pierdat] peer " + peer + ": cannot resolve " + name + "; skipping it");
      }
    }
    return sources;
  }
}
