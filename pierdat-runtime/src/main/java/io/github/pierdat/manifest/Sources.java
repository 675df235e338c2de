package io.github.pierdat.manifest;

import java.net.URI;
import java.net.URISyntaxException;

/** Source URIs as they may be shown or stored: never with credentials. */
public final class Sources {

  private Sources() {}

  /** {@code source} without user info (user:password@), safe for logs, labels and pier.dat. */
  public static String redact(URI source) {
    if (source.getRawUserInfo() == null) {
      return source.toString();
    }
    try {
      return new URI(source.getScheme(), null, source.getHost(), source.getPort(),
              source.getPath(), source.getQuery(), source.getFragment())
          .toString();
    } catch (URISyntaxException e) {
      return source.getScheme() + "://<redacted>";
    }
  }

  /** Like {@link #redact(URI)} for a string that may not even parse. */
  public static String redact(String source) {
    try {
      return redact(new URI(source));
    } catch (URISyntaxException e) {
      int at = source.indexOf('@');
      int scheme = source.indexOf("://");
      return at > 0 && scheme > 0 && at > scheme ? source.substring(0, scheme + 3) + source.substring(at + 1) : source;
    }
  }
}
