package io.github.pierdat.image;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails fast when nothing listens at a registry's address. Jib retries a refused connection with
 * exponential back-off for about a minute before it gives up; a stopped local registry deserves a quicker
 * answer. Only a refused connection counts: timeouts, name lookups and proxied setups are left to Jib.
 */
final class RegistryProbe {

  private static final int CONNECT_TIMEOUT_MILLIS = 3000;

  private RegistryProbe() {}

  /** Throws if every port the registry could be served on refuses connections. */
  static void requireListening(String registry, String what, boolean allowInsecure) throws ImageException {
    if (proxied()) {
      return;
    }
    URI address;
    try {
      address = URI.create("//" + registry);
    } catch (IllegalArgumentException e) {
      return;
    }
    if (address.getHost() == null) {
      return;
    }
    List<Integer> ports = new ArrayList<>();
    if (address.getPort() >= 0) {
      ports.add(address.getPort());
    } else {
      ports.add(443);
      if (allowInsecure) {
        ports.add(80);
      }
    }
    for (int port : ports) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(address.getHost(), port), CONNECT_TIMEOUT_MILLIS);
        return;
      } catch (ConnectException refused) {
        // try the next port
      } catch (IOException other) {
        return;
      }
    }
    throw new ImageException("registry " + registry + " for " + what + " is not reachable (connection refused on "
        + address.getHost() + " port " + ports.stream().map(String::valueOf).reduce((a, b) -> a + " and " + b).orElse("")
        + "): is it running and is host:port right?"
        + (allowInsecure ? "" : " For a plain-HTTP registry set allowInsecureRegistries"));
  }

  private static boolean proxied() {
    return System.getProperty("https.proxyHost") != null || System.getProperty("http.proxyHost") != null;
  }
}
