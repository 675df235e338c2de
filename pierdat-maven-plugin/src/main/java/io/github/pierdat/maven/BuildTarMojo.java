package io.github.pierdat.maven;

import io.github.pierdat.image.ImageTarget;
import java.io.File;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Fetches the artifacts and writes the image as a Docker-format tar ({@code docker load} or {@code podman
 * load} read it).
 */
@Mojo(name = "buildTar", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildTarMojo extends AbstractImageMojo {

  /** The image tar to write. */
  @Parameter(property = "pierdat.tarImage", defaultValue = "${project.build.directory}/pierdat-image.tar")
  protected File tarImage;

  @Inject
  public BuildTarMojo(SettingsDecrypter settingsDecrypter) {
    super(settingsDecrypter);
  }

  @Override
  protected ImageTarget target(String reference, MavenSettings settings) {
    return ImageTarget.tar(tarImage.toPath().toAbsolutePath(), reference);
  }
}
