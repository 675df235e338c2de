package io.github.pierdat.image;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Where {@link ImageAssembler#containerize} puts the image. */
public sealed interface ImageTarget {

  /** The image reference, e.g. {@code registry.example.com/team/app:1.0}. */
  String reference();

  /**
   * Push to a registry.
   *
   * @param reference the image reference to push to
   * @param credentials credentials for the registry, or null to use the Docker config and credential
   *     helpers
   * @param extraTags further tags to push the same image under
   */
  static ImageTarget registry(String reference, RegistryCredentials credentials, Set<String> extraTags) {
    return new Registry(reference, credentials, extraTags);
  }

  /** Write a Docker-format tar ({@code docker load}-able) to {@code file}, naming the image {@code reference}. */
  static ImageTarget tar(Path file, String reference) {
    return new Tar(file, reference);
  }

  /**
   * Load into a Docker daemon with {@code docker load}.
   *
   * @param reference the image reference to tag it with
   * @param dockerExecutable the {@code docker} command, or null for {@code docker} on the PATH
   * @param dockerEnvironment extra environment for the command (e.g. {@code DOCKER_HOST})
   */
  static ImageTarget dockerDaemon(String reference, Path dockerExecutable, Map<String, String> dockerEnvironment) {
    return new DockerDaemon(reference, dockerExecutable, dockerEnvironment);
  }

  /** A registry target. */
  record Registry(String reference, RegistryCredentials credentials, Set<String> extraTags) implements ImageTarget {
    public Registry {
      Objects.requireNonNull(reference, "reference");
      extraTags = Set.copyOf(new TreeSet<>(Objects.requireNonNullElse(extraTags, Set.of())));
    }

    @Override
    public String toString() {
      return "registry " + reference;
    }
  }

  /** A tar file target. */
  record Tar(Path file, String reference) implements ImageTarget {
    public Tar {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(reference, "reference");
    }

    @Override
    public String toString() {
      return "tar " + file + " (" + reference + ")";
    }
  }

  /** A Docker daemon target. */
  record DockerDaemon(String reference, Path dockerExecutable, Map<String, String> dockerEnvironment)
      implements ImageTarget {
    public DockerDaemon {
      Objects.requireNonNull(reference, "reference");
      dockerEnvironment = Map.copyOf(Objects.requireNonNullElse(dockerEnvironment, Map.of()));
    }

    @Override
    public String toString() {
      return "docker daemon " + reference;
    }
  }
}
