package io.github.pierdat.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reads the configuration of an image in the local Docker daemon with {@code docker image inspect}. */
final class DockerDaemonConfigReader {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 120;

  private DockerDaemonConfigReader() {}

  static BaseImageConfig read(String reference, Path dockerExecutable, Map<String, String> environment)
      throws ImageException {
    String docker = dockerExecutable == null ? "docker" : dockerExecutable.toString();
    ProcessBuilder command = new ProcessBuilder(docker, "image", "inspect", "--format", "{{json .Config}}", reference);
    command.environment().putAll(environment);
    Path stderr = null;
    try {
      stderr = Files.createTempFile("pierdat-docker-inspect", ".err");
      command.redirectError(stderr.toFile());
      Process process = command.start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new ImageException(docker + " image inspect " + reference + " did not finish within "
            + TIMEOUT_SECONDS + " s; is the Docker daemon responding?");
      }
      if (process.exitValue() != 0) {
        String error = Files.readString(stderr, StandardCharsets.UTF_8).strip();
        throw new ImageException("baseImage docker://" + reference + " could not be inspected: " + docker
            + " exited with " + process.exitValue() + (error.isEmpty() ? "" : ": " + error)
            + "; check that the image exists locally (docker images) and the daemon runs");
      }
      return BaseImageConfig.fromContainerConfig(JSON.readTree(out));
    } catch (IOException e) {
      throw new ImageException("cannot run " + docker + " to inspect baseImage docker://" + reference + ": "
          + e.getMessage() + "; is Docker installed? set the docker executable if it is not on the PATH", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageException("interrupted while inspecting baseImage docker://" + reference, e);
    } finally {
      deleteQuietly(stderr);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }
}
