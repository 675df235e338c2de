package io.github.pierdat.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JibEvent;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.cache.Cache;
import com.google.cloud.tools.jib.cache.CacheCorruptedException;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ImageMetadataTemplate;
import com.google.cloud.tools.jib.image.json.ManifestAndConfigTemplate;
import com.google.cloud.tools.jib.image.json.ManifestListTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.V21ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads a registry image's configuration with Jib's registry client (same HTTP stack, insecure-registry
 * handling and authentication as the build itself). Jib's public API does not expose the base image's
 * command, which pier.dat needs before the build starts.
 *
 * <p>Manifest lists and OCI indexes resolve to the {@link #ARCHITECTURE}/{@link #OS} image, the platform
 * Jib builds by default. Offline, the configuration comes from Jib's base image cache.
 */
final class RegistryConfigReader {

  static final String ARCHITECTURE = "amd64";
  static final String OS = "linux";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ImageReference image;
  private final List<CredentialRetriever> credentials;
  private final boolean allowInsecure;
  private final JibEventLog events;

  RegistryConfigReader(
      ImageReference image, List<CredentialRetriever> credentials, boolean allowInsecure, JibEventLog events) {
    this.image = image;
    this.credentials = credentials;
    this.allowInsecure = allowInsecure;
    this.events = events;
  }

  /** Reads the configuration from the registry. */
  BaseImageConfig read() throws ImageException {
    String what = "base image " + image;
    RegistryProbe.requireListening(image.getRegistry(), what, allowInsecure);
    EventHandlers handlers = EventHandlers.builder().add(LogEvent.class, this::debugOnly).build();
    FailoverHttpClient http = new FailoverHttpClient(allowInsecure, false, this::debugOnly);
    try {
      RegistryClient.Factory factory =
          RegistryClient.factory(handlers, image.getRegistry(), image.getRepository(), http)
              .setUserAgent("pierdat");
      try {
        return pull(factory.newRegistryClient());
      } catch (RegistryUnauthorizedException unauthorized) {
        // Like Jib: anonymous first, then with credentials (a bearer token if the registry issues them).
        Optional<Credential> credential = RegistryAuth.first(credentials, image.getRegistry());
        RegistryClient client = factory.setCredential(credential.orElse(null)).newRegistryClient();
        if (!client.doPullBearerAuth()) {
          client.configureBasicAuth();
        }
        return pull(client);
      }
    } catch (IOException | RegistryException | RuntimeException e) {
      throw RegistryErrors.explain(e, what, image.getRegistry(), allowInsecure);
    } finally {
      try {
        http.shutDown();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }

  /** Reads the configuration from Jib's base image cache, for offline builds. */
  BaseImageConfig readCached(Path baseImageCache) throws ImageException {
    try {
      Optional<ImageMetadataTemplate> metadata = Cache.withDirectory(baseImageCache).retrieveMetadata(image);
      if (metadata.isEmpty() || metadata.get().getManifestsAndConfigs().isEmpty()) {
        throw new ImageException("base image " + image + " is not in the base image cache " + baseImageCache
            + ", and offline builds cannot pull it; build once online first");
      }
      List<ManifestAndConfigTemplate> images = metadata.get().getManifestsAndConfigs();
      ManifestAndConfigTemplate chosen = images.get(0);
      for (ManifestAndConfigTemplate candidate : images) {
        if (candidate.getConfig() != null && ARCHITECTURE.equals(candidate.getConfig().getArchitecture())
            && OS.equals(candidate.getConfig().getOs())) {
          chosen = candidate;
          break;
        }
      }
      if (chosen.getConfig() == null) {
        ManifestTemplate manifest = chosen.getManifest();
        if (manifest instanceof V21ManifestTemplate v21) {
          return configOf(v21);
        }
        throw new ImageException("the cached base image " + image + " has no configuration; build once online");
      }
      return parseConfig(JsonTemplateMapper.toByteArray(chosen.getConfig()));
    } catch (IOException | CacheCorruptedException | com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
      throw new ImageException("cannot read base image " + image + " from the base image cache " + baseImageCache
          + ": " + e.getMessage() + "; delete the cache directory and build once online", e);
    }
  }

  private BaseImageConfig pull(RegistryClient client) throws IOException, RegistryException, ImageException {
    ManifestAndDigest<ManifestTemplate> pulled = client.pullManifest(image.getQualifier());
    ManifestTemplate manifest = pulled.getManifest();
    if (manifest instanceof ManifestListTemplate list) {
      List<String> digests = list.getDigestsForPlatform(ARCHITECTURE, OS);
      if (digests.isEmpty()) {
        throw new ImageException("base image " + image + " is a multi-platform image without a " + OS + "/"
            + ARCHITECTURE + " image; choose a base image that has one");
      }
      manifest = client.pullManifest(digests.get(0)).getManifest();
    }
    if (manifest instanceof BuildableManifestTemplate buildable) {
      DescriptorDigest configDigest = buildable.getContainerConfiguration().getDigest();
      ByteArrayOutputStream config = new ByteArrayOutputStream();
      client.pullBlob(configDigest, size -> {}, written -> {}).writeTo(config);
      return parseConfig(config.toByteArray());
    }
    if (manifest instanceof V21ManifestTemplate v21) {
      return configOf(v21);
    }
    throw new ImageException("base image " + image + " has a manifest of an unknown kind ("
        + manifest.getClass().getSimpleName() + "); expected a Docker v2.2 or OCI image manifest");
  }

  private BaseImageConfig configOf(V21ManifestTemplate v21) throws IOException {
    if (v21.getContainerConfiguration().isEmpty()) {
      return BaseImageConfig.SCRATCH;
    }
    return parseConfig(JsonTemplateMapper.toByteArray(v21.getContainerConfiguration().get()));
  }

  private static BaseImageConfig parseConfig(byte[] json) throws IOException {
    JsonNode config = JSON.readTree(json);
    return BaseImageConfig.fromContainerConfig(config.get("config"));
  }

  private void debugOnly(JibEvent event) {
    if (event instanceof LogEvent log) {
      events.log(LogEvent.debug(log.getMessage()));
    }
  }
}
