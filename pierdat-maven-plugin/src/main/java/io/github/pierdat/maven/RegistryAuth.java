package io.github.pierdat.maven;

import io.github.pierdat.backend.Credentials;
import io.github.pierdat.image.RegistryCredentials;
import java.util.List;
import java.util.Optional;

/**
 * Registry credentials as Jib finds them: {@code <auth>} first, then a settings.xml {@code <server>} whose id
 * is the registry host; otherwise none here, and jib-core asks the Docker config and credential helpers.
 */
final class RegistryAuth {

  private RegistryAuth() {}

  static Optional<RegistryCredentials> credentials(
      AuthConfig auth, String imageReference, MavenSettings settings, String field)
      throws InvalidConfigurationException {
    if (auth != null && (auth.getUsername() != null || auth.getPassword() != null)) {
      if (!auth.isSet()) {
        throw new InvalidConfigurationException(
            List.of(field + " needs both <username> and <password> (or neither, to use Docker credential helpers)"));
      }
      return Optional.of(new RegistryCredentials(auth.getUsername(), auth.getPassword()));
    }
    String registry = registryHost(imageReference);
    if (registry == null || !settings.hasServer(registry)) {
      return Optional.empty();
    }
    Credentials credentials = settings.credentials(registry, "registry '" + registry + "'");
    return Optional.of(new RegistryCredentials(credentials.username(), credentials.password()));
  }

  /** The registry part of an image reference, or null for Docker Hub, scratch, tar:// and docker://. */
  static String registryHost(String reference) {
    if (reference == null || reference.equals("scratch") || reference.contains("://")) {
      return null;
    }
    int slash = reference.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String first = reference.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : null;
  }
}
