package io.github.pierdat.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where registry credentials come from: the configured ones, else the Docker configuration
 * ({@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}, with its credential helpers), else
 * the well-known credential helpers (Google, ECR, ACR ...).
 */
final class RegistryAuth {

  private RegistryAuth() {}

  static List<CredentialRetriever> retrievers(
      ImageReference image, RegistryCredentials configured, Consumer<LogEvent> logger) {
    CredentialRetrieverFactory factory = CredentialRetrieverFactory.forImage(image, logger);
    if (configured != null) {
      return List.of(factory.known(Credential.from(configured.username(), configured.password()), "configuration"));
    }
    return List.of(factory.dockerConfig(), factory.wellKnownCredentialHelpers());
  }

  /** The first credential any retriever finds, or empty for anonymous access. */
  static Optional<Credential> first(List<CredentialRetriever> retrievers, String registry) throws ImageException {
    for (CredentialRetriever retriever : retrievers) {
      try {
        Optional<Credential> credential = retriever.retrieve();
        if (credential.isPresent()) {
          return credential;
        }
      } catch (CredentialRetrievalException e) {
        throw new ImageException("cannot get credentials for registry " + registry
            + " from the Docker configuration or a credential helper: " + e.getMessage()
            + "; check ~/.docker/config.json or set the credentials in the configuration", e);
      }
    }
    return Optional.empty();
  }
}
