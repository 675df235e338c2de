package io.github.pierdat.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The base image, parsed from its reference: scratch, a registry image, a Docker-format tar, or a daemon image. */
sealed interface BaseImage {

  String TAR_PREFIX = "tar://";
  String DOCKER_PREFIX = "docker://";

  /** Parses {@code scratch}, {@code tar://<path>}, {@code docker://<name>} or a registry reference. */
  static BaseImage parse(String spec) throws ImageException {
    if (spec == null || spec.isBlank()) {
      throw new ImageException("baseImage is empty; expected \"scratch\", a registry reference such as"
          + " eclipse-temurin:17-jre, tar://<path of a docker save tar> or docker://<image in the local daemon>");
    }
    if (spec.equals("scratch")) {
      return new Scratch();
    }
    if (spec.startsWith(TAR_PREFIX)) {
      String path = spec.substring(TAR_PREFIX.length());
      if (path.isEmpty()) {
        throw new ImageException("baseImage " + spec + " names no file; expected tar://<path of a docker save tar>");
      }
      return new Tar(Paths.get(path).toAbsolutePath().normalize());
    }
    if (spec.startsWith(DOCKER_PREFIX)) {
      return new Docker(reference(spec.substring(DOCKER_PREFIX.length()), spec));
    }
    return new Registry(reference(spec, spec));
  }

  private static ImageReference reference(String reference, String spec) throws ImageException {
    try {
      return ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new ImageException("baseImage " + spec + " is not a valid image reference; expected e.g."
          + " registry.example.com/team/base:1.0 or eclipse-temurin:17-jre");
    }
  }

  /** No base: an empty file system. */
  record Scratch() implements BaseImage {
    @Override
    public String toString() {
      return "scratch";
    }
  }

  /** An image in a registry. */
  record Registry(ImageReference reference) implements BaseImage {
    @Override
    public String toString() {
      return reference.toString();
    }
  }

  /** A Docker-format tar ({@code docker save}). */
  record Tar(Path file) implements BaseImage {
    @Override
    public String toString() {
      return TAR_PREFIX + file;
    }
  }

  /** An image in the local Docker daemon. */
  record Docker(ImageReference reference) implements BaseImage {
    @Override
    public String toString() {
      return DOCKER_PREFIX + reference;
    }
  }
}
