package io.github.pierdat.maven;

import io.github.pierdat.image.ImageTarget;
import java.io.File;
import java.util.HashMap;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** Fetches the artifacts and loads the image into a Docker daemon (or podman's Docker-compatible command). */
@Mojo(name = "dockerBuild", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class DockerBuildMojo extends AbstractImageMojo {

  /** The docker command to use; {@code docker} on the PATH by default. */
  @Parameter(property = "pierdat.dockerExecutable")
  protected File dockerExecutable;

  /** Extra environment variables for the docker command (e.g. {@code DOCKER_HOST}). */
  @Parameter
  protected Map<String, String> dockerEnvironment = new HashMap<>();

  @Inject
  public DockerBuildMojo(SettingsDecrypter settingsDecrypter) {
    super(settingsDecrypter);
  }

  @Override
  protected ImageTarget target(String reference, MavenSettings settings) {
    return ImageTarget.dockerDaemon(
        reference, dockerExecutable == null ? null : dockerExecutable.toPath(), dockerEnvironment);
  }
}
