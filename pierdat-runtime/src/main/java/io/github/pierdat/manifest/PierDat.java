package io.github.pierdat.manifest;

import java.util.List;
import java.util.Objects;

/**
 * The contents of {@code /etc/pier.dat}: what the image carries and how the agent seeds it. Written at
 * build time, read at run time.
 *
 * @param version the format version; readers refuse versions they do not know
 * @param settings the agent's defaults, overridden at run time by {@code PIERDAT_*} variables
 * @param app the command the base image ran, which the agent runs as its child
 * @param artifacts the baked artifacts, in declaration order
 */
public record PierDat(int version, AgentSettings settings, AppCommand app, List<ArtifactEntry> artifacts) {

  /** The only format version this code reads and writes. */
  public static final int CURRENT_VERSION = 1;

  public PierDat {
    settings = settings == null ? AgentSettings.defaults() : settings;
    app = app == null ? AppCommand.none() : app;
    artifacts = List.copyOf(Objects.requireNonNullElse(artifacts, List.of()));
  }

  /** A current-version file with default settings. */
  public static PierDat of(AppCommand app, List<ArtifactEntry> artifacts) {
    return new PierDat(CURRENT_VERSION, AgentSettings.defaults(), app, artifacts);
  }

  /** This file with one more artifact, replacing an earlier one at the same path. */
  public PierDat withArtifact(ArtifactEntry artifact) {
    List<ArtifactEntry> merged = new java.util.ArrayList<>();
    for (ArtifactEntry existing : artifacts) {
      if (!existing.path().equals(artifact.path())) {
        merged.add(existing);
      }
    }
    merged.add(artifact);
    return new PierDat(version, settings, app, merged);
  }
}
