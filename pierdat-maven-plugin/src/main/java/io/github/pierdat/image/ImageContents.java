package io.github.pierdat.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.common.hash.Hashing;
import com.google.common.hash.HashingInputStream;
import io.github.pierdat.PierdatVersion;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.ImagePaths;
import io.github.pierdat.manifest.PierDat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything pierdat adds to a base image: one layer per artifact (declaration order), the agent layer,
 * the pier.dat layer, labels, and the agent entrypoint. Independent of where the image goes, so the Jib
 * plugin extension applies the same contents to Jib's own build plan.
 *
 * @param artifactLayers one layer per artifact, in declaration order
 * @param seedFilesLayer files backends need at run time (e.g. torrents), or null when there are none
 * @param agentLayer the agent jar
 * @param pierDatLayer pier.dat (last: it changes whenever anything else does)
 * @param labels the {@link ImageLabels}
 * @param entrypoint the {@link AgentCommand} entrypoint
 * @param cmd the image's CMD: the base image's CMD, or null if it had none
 * @param pierDat pier.dat as written into the image
 */
public record ImageContents(
    List<FileEntriesLayer> artifactLayers,
    FileEntriesLayer seedFilesLayer,
    FileEntriesLayer agentLayer,
    FileEntriesLayer pierDatLayer,
    Map<String, String> labels,
    List<String> entrypoint,
    List<String> cmd,
    PierDat pierDat) {

  public ImageContents {
    artifactLayers = List.copyOf(artifactLayers);
    // Sorted, and kept sorted: Jib copies labels into a HashMap, whose order depends on insertion order
    // when keys share a bucket, and the image digest depends on that order.
    labels = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(labels));
    entrypoint = List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
  }

  /** All layers in image order. */
  public List<FileEntriesLayer> layers() {
    List<FileEntriesLayer> layers = new ArrayList<>(artifactLayers);
    if (seedFilesLayer != null) {
      layers.add(seedFilesLayer);
    }
    layers.add(agentLayer);
    layers.add(pierDatLayer);
    return layers;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects and checks what goes into the image. */
  public static final class Builder {
    private AppCommand app = AppCommand.none();
    private final List<BakedArtifact> artifacts = new ArrayList<>();
    private PierDat pierDat;
    private Path agentJar;
    private String agentJarSha256;
    private StagingArea staging;
    private List<String> agentJvmFlags = AgentCommand.DEFAULT_JVM_FLAGS;
    private boolean verifyArtifacts = true;
    private String version = PierdatVersion.get();
    private final Map<String, byte[]> seedFiles = new java.util.TreeMap<>();

    private Builder() {}

    /**
     * Adds a file a backend needs at run time (e.g. an artifact's torrent) at {@code imagePath}, which
     * must lie below {@link ImagePaths#PIERDAT_HOME}; all such files go into one layer.
     */
    public Builder addSeedFile(String imagePath, byte[] content) {
      Objects.requireNonNull(imagePath, "imagePath");
      if (!imagePath.startsWith(ImagePaths.PIERDAT_HOME + "/") || imagePath.contains("/../")
          || imagePath.endsWith("/")) {
        throw new IllegalArgumentException("seed file path " + imagePath + " is not a file below "
            + ImagePaths.PIERDAT_HOME + "/");
      }
      seedFiles.put(imagePath, content.clone());
      return this;
    }

    /** The base image's command, which the agent runs as its child (default: none). */
    public Builder app(AppCommand app) {
      this.app = Objects.requireNonNull(app, "app");
      return this;
    }

    /** Adds an artifact; artifacts keep the order they are added in. */
    public Builder addArtifact(BakedArtifact artifact) {
      artifacts.add(Objects.requireNonNull(artifact, "artifact"));
      return this;
    }

    /**
     * pier.dat without {@code app} (it is filled from {@link #app}); its artifacts must be the baked ones.
     * Default: default settings and the baked artifacts' entries.
     */
    public Builder pierDat(PierDat pierDat) {
      this.pierDat = pierDat;
      return this;
    }

    /** The agent jar to put at {@link ImagePaths#AGENT_JAR}. Required. */
    public Builder agentJar(Path agentJar) {
      this.agentJar = agentJar;
      this.agentJarSha256 = null;
      return this;
    }

    /** The agent jar and its sha256, known to the caller, so staging it does not read it again. */
    public Builder agentJar(Path agentJar, String sha256) {
      this.agentJar = agentJar;
      this.agentJarSha256 = sha256;
      return this;
    }

    /** Where pier.dat and the agent jar are staged under content-addressed paths. Required. */
    public Builder staging(StagingArea staging) {
      this.staging = staging;
      return this;
    }

    /** JVM flags of the agent (default {@link AgentCommand#DEFAULT_JVM_FLAGS}). */
    public Builder agentJvmFlags(List<String> agentJvmFlags) {
      this.agentJvmFlags = List.copyOf(agentJvmFlags);
      return this;
    }

    /** Whether to check each artifact file's sha256 against its entry before baking it (default true). */
    public Builder verifyArtifacts(boolean verifyArtifacts) {
      this.verifyArtifacts = verifyArtifacts;
      return this;
    }

    /** The pierdat version for the labels (default {@link PierdatVersion#get()}). */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** Checks the inputs, stages generated files and builds the layers. */
    public ImageContents build() throws ImageException {
      if (agentJar == null) {
        throw new ImageException("agentJar is not set; expected the pierdat agent jar to put at " + ImagePaths.AGENT_JAR);
      }
      if (!Files.isRegularFile(agentJar)) {
        throw new ImageException("agentJar " + agentJar + " is not a file; expected the pierdat agent jar");
      }
      if (staging == null) {
        throw new ImageException("staging is not set; expected a directory for pierdat's generated files");
      }
      checkPaths();
      for (BakedArtifact artifact : artifacts) {
        checkFile(artifact);
      }
      PierDat written = mergePierDat();
      List<ArtifactEntry> labelled = new ArrayList<>();
      Map<String, ArtifactEntry> byPath = new HashMap<>();
      written.artifacts().forEach(entry -> byPath.put(entry.path(), entry));
      artifacts.forEach(artifact -> labelled.add(byPath.get(artifact.entry().path())));

      PierdatLayers layers = new PierdatLayers(staging);
      try {
        List<FileEntriesLayer> artifactLayers = new ArrayList<>();
        for (BakedArtifact artifact : artifacts) {
          artifactLayers.add(layers.artifactLayer(artifact));
        }
        return new ImageContents(
            artifactLayers,
            seedFiles.isEmpty() ? null : layers.seedFilesLayer(seedFiles),
            layers.agentLayer(agentJar, agentJarSha256),
            layers.pierDatLayer(written),
            ImageLabels.of(version, labelled),
            AgentCommand.entrypoint(agentJvmFlags),
            app.cmd().isEmpty() ? null : app.cmd(),
            written);
      } catch (IOException e) {
        throw new ImageException("cannot stage pierdat's files in " + staging.directory() + ": " + e, e);
      }
    }

    private void checkPaths() throws ImageException {
      List<String> seen = new ArrayList<>();
      for (BakedArtifact artifact : artifacts) {
        String path = artifact.entry().path();
        Optional<String> problem = ImagePaths.problem(path).or(() -> DirectoryPolicy.problem(path));
        if (problem.isPresent()) {
          throw new ImageException("artifact " + artifact.entry().name() + ": path " + path + " " + problem.get());
        }
        for (String other : seen) {
          if (ImagePaths.overlap(path, other)) {
            throw new ImageException("artifact " + artifact.entry().name() + ": path " + path
                + " collides with the artifact at " + other
                + " (the same path, or one inside the other); give each artifact a path of its own");
          }
        }
        seen.add(path);
      }
    }

    private void checkFile(BakedArtifact artifact) throws ImageException {
      ArtifactEntry entry = artifact.entry();
      Path file = artifact.file();
      String what = "artifact " + entry.name() + " (" + entry.path() + "): file " + file;
      try {
        if (!Files.isRegularFile(file)) {
          throw new ImageException(what + " does not exist; fetch the artifacts first");
        }
        long size = Files.size(file);
        if (size != entry.size()) {
          throw new ImageException(what + " has " + size + " bytes, but the declared size is " + entry.size()
              + "; delete the file and fetch again");
        }
        if (verifyArtifacts) {
          String sha256 = sha256(file);
          if (!sha256.equalsIgnoreCase(entry.sha256())) {
            throw new ImageException(what + " has sha256 " + sha256 + ", but the declared sha256 is "
                + entry.sha256() + "; the cached copy is damaged: delete it and fetch again");
          }
        }
      } catch (IOException e) {
        throw new ImageException(what + " cannot be read: " + e, e);
      }
    }

    private PierDat mergePierDat() throws ImageException {
      List<ArtifactEntry> baked = artifacts.stream().map(BakedArtifact::entry).toList();
      if (pierDat == null) {
        return PierDat.of(app, baked);
      }
      Map<String, ArtifactEntry> declared = new HashMap<>();
      pierDat.artifacts().forEach(entry -> declared.put(entry.path(), entry));
      for (ArtifactEntry entry : baked) {
        ArtifactEntry inPierDat = declared.remove(entry.path());
        if (inPierDat == null) {
          throw new ImageException("pier.dat has no artifact at " + entry.path() + ", but artifact " + entry.name()
              + " is baked there; build pier.dat from the same artifact list");
        }
        if (!inPierDat.sha256().equalsIgnoreCase(entry.sha256())) {
          throw new ImageException("pier.dat records sha256 " + inPierDat.sha256() + " for " + entry.path()
              + ", but the baked artifact has sha256 " + entry.sha256() + "; build pier.dat from the same artifacts");
        }
      }
      if (!declared.isEmpty()) {
        throw new ImageException("pier.dat lists artifacts that are not baked into the image: "
            + declared.keySet().stream().sorted().toList() + "; add them or remove them from pier.dat");
      }
      return new PierDat(pierDat.version(), pierDat.settings(), app, pierDat.artifacts());
    }

    private static String sha256(Path file) throws IOException {
      try (InputStream raw = Files.newInputStream(file);
          HashingInputStream in = new HashingInputStream(Hashing.sha256(), raw)) {
        in.transferTo(OutputStream.nullOutputStream());
        return in.hash().toString();
      }
    }
  }
}
