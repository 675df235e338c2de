package io.github.pierdat.maven;

import io.github.pierdat.image.ImageTarget;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Fetches the artifacts and pushes an image to a registry: the base image, one layer per artifact, and the
 * pierdat agent as entrypoint. Unchanged layers are not uploaded again.
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildMojo extends AbstractImageMojo {

  @Inject
  public BuildMojo(SettingsDecrypter settingsDecrypter) {
    super(settingsDecrypter);
  }

  @Override
  protected String defaultReference() {
    return null;
  }

  @Override
  protected ImageTarget target(String reference, MavenSettings settings) throws InvalidConfigurationException {
    if (RegistryAuth.registryHost(reference) == null && !reference.contains("/")) {
      throw new InvalidConfigurationException(List.of("<to><image> '" + reference
          + "' names no registry; pushing needs a full reference such as registry.example.com/team/"
          + reference));
    }
    return ImageTarget.registry(
        reference,
        RegistryAuth.credentials(toConfig().getAuth(), reference, settings, "<to><auth>").orElse(null),
        extraTags());
  }
}
