package io.github.pierdat.image;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Turns what Jib throws while talking to a registry into a message that says what to do. */
final class RegistryErrors {

  private RegistryErrors() {}

  /**
   * Explains {@code failure} of talking to {@code registry} about {@code what} (e.g. "base image
   * registry.example.com/app:1"). The message never carries credentials: Jib's messages about
   * authentication are not copied.
   */
  static ImageException explain(Throwable failure, String what, String registry, boolean allowInsecure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RegistryUnauthorizedException || t instanceof RegistryAuthenticationFailedException
          || t instanceof ResponseException r && (r.getStatusCode() == 401 || r.getStatusCode() == 403)) {
        return new ImageException("registry " + registry + " denied access to " + what
            + ": check the credentials (set them in the configuration, or log in with docker login or a"
            + " credential helper) and that they may pull/push this repository", failure);
      }
      if (t instanceof InsecureRegistryException) {
        return new ImageException("registry " + registry + " for " + what + " does not offer a trusted HTTPS"
            + " connection; for a plain-HTTP or self-signed registry set allowInsecureRegistries", failure);
      }
      if (t instanceof ResponseException r && r.getStatusCode() == 404 || isNotFoundMessage(t.getMessage())) {
        return new ImageException(what + " was not found: registry " + registry
            + " answered 404 (manifest unknown); check the repository name and tag, or push the image first",
            failure);
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException || isConnectMessage(t)) {
        return new ImageException("registry " + registry + " for " + what + " is not reachable ("
            + t.getClass().getSimpleName() + "): is it running and is host:port right?"
            + (allowInsecure ? "" : " For a plain-HTTP registry set allowInsecureRegistries"), failure);
      }
      if (t instanceof SSLException) {
        return new ImageException("registry " + registry + " for " + what + " failed the TLS handshake ("
            + t.getMessage() + "); trust its certificate, or for a plain-HTTP or self-signed registry set"
            + " allowInsecureRegistries", failure);
      }
    }
    return new ImageException("cannot access " + what + " at registry " + registry + ": " + failure, failure);
  }

  private static boolean isNotFoundMessage(String message) {
    if (message == null) {
      return false;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    return lower.contains("manifest unknown") || lower.contains("name unknown") || lower.contains("manifest_unknown")
        || lower.contains("name_unknown");
  }

  private static boolean isConnectMessage(Throwable t) {
    // Apache HttpClient's HttpHostConnectException extends ConnectException; its relatives do not.
    String name = t.getClass().getName();
    return name.endsWith("HttpHostConnectException") || name.endsWith("ConnectTimeoutException");
  }
}
