package io.github.pierdat.manifest;

import java.util.List;
import java.util.Objects;

/**
 * The base image's own command, recorded at build time because the image's entrypoint becomes the agent.
 * The agent runs {@code entrypoint + args}, where args are what follows {@code --} on its command line
 * (the image's CMD, which keeps the base image's CMD unless the user overrides it at {@code run}).
 *
 * @param entrypoint the base image's ENTRYPOINT, or empty
 * @param cmd the base image's CMD at build time (informational: the image's CMD carries it)
 * @param workingDir the base image's working directory, or null
 */
public record AppCommand(List<String> entrypoint, List<String> cmd, String workingDir) {

  public AppCommand {
    entrypoint = List.copyOf(Objects.requireNonNullElse(entrypoint, List.of()));
    cmd = List.copyOf(Objects.requireNonNullElse(cmd, List.of()));
  }

  /** No command: a data-only image, seeding until stopped. */
  public static AppCommand none() {
    return new AppCommand(List.of(), List.of(), null);
  }
}
