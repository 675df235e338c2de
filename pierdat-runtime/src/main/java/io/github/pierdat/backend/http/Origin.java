package io.github.pierdat.backend.http;

import java.net.URI;
import java.util.Locale;

/** The scheme, host and port of a URL: credentials are only ever sent back to the same origin. */
record Origin(String scheme, String host, int port) {

  static Origin of(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return new Origin(scheme, uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT), port);
  }

  /** {@code host:port}, for messages. */
  String hostPort() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
