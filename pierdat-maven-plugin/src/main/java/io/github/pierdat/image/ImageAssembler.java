package io.github.pierdat.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.cache.Cache;
import com.google.cloud.tools.jib.cache.CacheCorruptedException;
import com.google.cloud.tools.jib.cache.CachedLayer;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.common.collect.ImmutableList;
import io.github.pierdat.PierdatVersion;
import io.github.pierdat.manifest.PierDat;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Builds a pierdat image with jib-core: the base image, one layer per artifact, the agent and pier.dat
 * layers (see {@link ImageContents}), the agent as entrypoint and the base image's CMD as CMD.
 *
 * <p>The same inputs give the same image digest: tool name and version, creation time, file times,
 * owners and order are all fixed. An unchanged artifact gives an unchanged layer, which a registry
 * already holds and Jib does not upload again.
 *
 * <pre>{@code
 * ImageResult result = ImageAssembler.builder()
 *     .baseImage("eclipse-temurin:17-jre")
 *     .addArtifact(new BakedArtifact(entry, cachedFile))
 *     .agentJar(agentJar)
 *     .applicationLayersCache(projectDir.resolve("target/pierdat/jib-cache"))
 *     .build()
 *     .containerize(ImageTarget.registry("registry.example.com/app:1", null, Set.of()));
 * }</pre>
 */
public final class ImageAssembler {

  private final Builder settings;

  private ImageAssembler(Builder settings) {
    this.settings = settings;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Reads the base image's command, builds the layers and writes the image to {@code target}. */
  public ImageResult containerize(ImageTarget target) throws ImageException {
    Objects.requireNonNull(target, "target");
    ImageLog log = settings.log;
    JibEventLog events = new JibEventLog(log, "Building " + target.reference());
    ImageReference targetReference = targetReference(target);
    if (settings.offline && target instanceof ImageTarget.Registry) {
      throw new ImageException("offline builds cannot push to registry " + targetReference.getRegistry()
          + "; build to a tar or the Docker daemon, or turn offline off");
    }

    BaseImage base = BaseImage.parse(settings.baseImage);
    List<CredentialRetriever> baseCredentials = base instanceof BaseImage.Registry registry
        ? RegistryAuth.retrievers(registry.reference(), settings.baseCredentials, events::log)
        : List.of();
    BaseImageConfig baseConfig = readBaseConfig(base, baseCredentials, events);
    log.lifecycle("Base image " + base + ": entrypoint " + baseConfig.entrypoint() + ", cmd " + baseConfig.cmd()
        + (baseConfig.workingDir() == null ? "" : ", working directory " + baseConfig.workingDir()));

    ImageContents.Builder plan = ImageContents.builder()
        .app(baseConfig.app())
        .pierDat(settings.pierDat)
        .agentJar(settings.agentJar, settings.agentJarSha256)
        .staging(new StagingArea(settings.stagingDirectory()))
        .agentJvmFlags(settings.agentJvmFlags)
        .verifyArtifacts(settings.verifyArtifacts);
    settings.artifacts.forEach(plan::addArtifact);
    settings.seedFiles.forEach(plan::addSeedFile);
    ImageContents contents = plan.build();

    JibContainerBuilder image = jibBuilder(base, baseCredentials);
    for (FileEntriesLayer layer : contents.layers()) {
      image.addFileEntriesLayer(layer);
    }
    image.setEntrypoint(contents.entrypoint())
        .setProgramArguments(contents.cmd())
        .setCreationTime(settings.creationTime)
        .setFormat(settings.ociFormat ? ImageFormat.OCI : ImageFormat.Docker);
    contents.labels().forEach(image::addLabel);

    if (target instanceof ImageTarget.Registry) {
      RegistryProbe.requireListening(targetReference.getRegistry(), "target image " + targetReference,
          settings.allowInsecureRegistries);
    }
    JibContainer container = target instanceof ImageTarget.Tar tar
        ? writeTar(image, tar, targetReference, base, events)
        : run(image, containerizer(target, targetReference, events), target, targetReference, base);
    List<LayerInfo> layers = artifactLayers(contents);
    layers.forEach(layer -> log.info("Artifact layer " + layer.path() + ": " + layer.digest() + " (" + layer.size()
        + " bytes compressed)"));
    log.debug("Built " + target + ": " + container.getDigest());
    return new ImageResult(
        container.getTargetImage().toString(),
        container.getTags(),
        container.getDigest().toString(),
        container.getImageId().toString(),
        layers,
        contents.pierDat());
  }

  private BaseImageConfig readBaseConfig(BaseImage base, List<CredentialRetriever> credentials, JibEventLog events)
      throws ImageException {
    if (base instanceof BaseImage.Registry registry) {
      RegistryConfigReader reader =
          new RegistryConfigReader(registry.reference(), credentials, settings.allowInsecureRegistries, events);
      return settings.offline ? reader.readCached(settings.baseImageLayersCache()) : reader.read();
    }
    if (base instanceof BaseImage.Tar tar) {
      return DockerTarConfigReader.read(tar.file(), settings.log);
    }
    if (base instanceof BaseImage.Docker docker) {
      return DockerDaemonConfigReader.read(
          docker.reference().toString(), settings.dockerExecutable, settings.dockerEnvironment);
    }
    return BaseImageConfig.SCRATCH;
  }

  private JibContainerBuilder jibBuilder(BaseImage base, List<CredentialRetriever> credentials) {
    if (base instanceof BaseImage.Registry registry) {
      RegistryImage image = RegistryImage.named(registry.reference());
      credentials.forEach(image::addCredentialRetriever);
      return Jib.from(image);
    }
    if (base instanceof BaseImage.Tar tar) {
      return Jib.from(TarImage.at(tar.file()));
    }
    if (base instanceof BaseImage.Docker docker) {
      DockerDaemonImage image = DockerDaemonImage.named(docker.reference()).setDockerEnvironment(settings.dockerEnvironment);
      if (settings.dockerExecutable != null) {
        image.setDockerExecutable(settings.dockerExecutable);
      }
      return Jib.from(image);
    }
    return Jib.fromScratch();
  }

  private Containerizer containerizer(ImageTarget target, ImageReference reference, JibEventLog events)
      throws ImageException {
    Containerizer containerizer;
    if (target instanceof ImageTarget.Registry registry) {
      RegistryImage image = RegistryImage.named(reference);
      RegistryAuth.retrievers(reference, registry.credentials(), events::log).forEach(image::addCredentialRetriever);
      containerizer = Containerizer.to(image);
      for (String tag : registry.extraTags()) {
        if (!ImageReference.isValidTag(tag)) {
          throw new ImageException("extra tag \"" + tag + "\" is not a valid tag; expected letters, digits, '_',"
              + " '.' and '-', at most 128 characters, not starting with '.' or '-'");
        }
        containerizer.withAdditionalTag(tag);
      }
    } else if (target instanceof ImageTarget.Tar tar) {
      containerizer = Containerizer.to(TarImage.at(tar.file()).named(reference));
    } else {
      ImageTarget.DockerDaemon daemon = (ImageTarget.DockerDaemon) target;
      DockerDaemonImage image = DockerDaemonImage.named(reference).setDockerEnvironment(daemon.dockerEnvironment());
      if (daemon.dockerExecutable() != null) {
        image.setDockerExecutable(daemon.dockerExecutable());
      }
      containerizer = Containerizer.to(image);
    }
    containerizer
        .setToolName(settings.toolName)
        .setToolVersion(settings.toolVersion)
        .setAllowInsecureRegistries(settings.allowInsecureRegistries)
        .setOfflineMode(settings.offline)
        .setApplicationLayersCache(settings.applicationLayersCache)
        .addEventHandler(LogEvent.class, events::log)
        .addEventHandler(ProgressEvent.class, events.progress());
    if (settings.baseImageLayersCache != null) {
      containerizer.setBaseImageLayersCache(settings.baseImageLayersCache);
    }
    return containerizer;
  }

  private JibContainer run(JibContainerBuilder image, Containerizer containerizer, ImageTarget target,
      ImageReference targetReference, BaseImage base) throws ImageException {
    try {
      return image.containerize(containerizer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageException("interrupted while building " + target, e);
    } catch (ExecutionException | RegistryException | IOException | CacheDirectoryCreationException
        | RuntimeException e) {
      throw explain(e, target, targetReference, base);
    }
  }

  /** Jib writes the tar in place; it goes to a temp file first so a failed build leaves no half tar. */
  private JibContainer writeTar(JibContainerBuilder image, ImageTarget.Tar tar, ImageReference targetReference,
      BaseImage base, JibEventLog events) throws ImageException {
    Path file = tar.file().toAbsolutePath();
    Path temp = null;
    try {
      Files.createDirectories(file.getParent());
      // A name not yet taken, so Jib creates the file: on ext4, truncating an existing file (even an empty
      // one from createTempFile) makes close() flush the whole GiB to disk.
      temp = file.resolveSibling("." + file.getFileName() + "." + Long.toUnsignedString(
          java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
      Containerizer containerizer = containerizer(ImageTarget.tar(temp, tar.reference()), targetReference, events);
      JibContainer container = image.containerize(containerizer);
      // The previous image goes first: a rename over an existing file makes ext4 flush the new one as well.
      Files.deleteIfExists(file);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return container;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageException("interrupted while building " + tar, e);
    } catch (ExecutionException | RegistryException | IOException | CacheDirectoryCreationException
        | RuntimeException e) {
      throw explain(e, tar, targetReference, base);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  private ImageException explain(Exception e, ImageTarget target, ImageReference targetReference, BaseImage base) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof CacheDirectoryCreationException) {
      return new ImageException("cannot create the Jib cache directory " + settings.applicationLayersCache + ": "
          + cause.getMessage(), e);
    }
    if (target instanceof ImageTarget.Registry) {
      return RegistryErrors.explain(cause, "target image " + targetReference, targetReference.getRegistry(),
          settings.allowInsecureRegistries);
    }
    if (base instanceof BaseImage.Registry registry) {
      return RegistryErrors.explain(cause, "base image " + registry.reference(), registry.reference().getRegistry(),
          settings.allowInsecureRegistries);
    }
    return new ImageException("cannot build " + target + ": " + cause, e);
  }

  private ImageReference targetReference(ImageTarget target) throws ImageException {
    try {
      return ImageReference.parse(target.reference());
    } catch (InvalidImageReferenceException e) {
      throw new ImageException("target image reference \"" + target.reference() + "\" is not valid; expected e.g."
          + " registry.example.com/team/app:1.0", e);
    }
  }

  /** The artifact layers' digests, from Jib's application layer cache, where the build left them. */
  private List<LayerInfo> artifactLayers(ImageContents contents) throws ImageException {
    try {
      Cache cache = Cache.withDirectory(settings.applicationLayersCache);
      List<LayerInfo> layers = new ArrayList<>();
      for (FileEntriesLayer layer : contents.artifactLayers()) {
        Optional<CachedLayer> cached = cache.retrieve(ImmutableList.copyOf(layer.getEntries()));
        String path = layer.getEntries().get(layer.getEntries().size() - 1).getExtractionPath().toString();
        if (cached.isEmpty()) {
          throw new ImageException("the layer of " + path + " is missing from the Jib cache "
              + settings.applicationLayersCache + " right after the build; is another build cleaning it?");
        }
        layers.add(new LayerInfo(path, cached.get().getDigest().toString(), cached.get().getDiffId().toString(),
            cached.get().getSize()));
      }
      return layers;
    } catch (IOException | CacheCorruptedException | CacheDirectoryCreationException e) {
      throw new ImageException("cannot read the Jib cache " + settings.applicationLayersCache + ": " + e, e);
    }
  }

  /** Collects the assembler's settings. */
  public static final class Builder {
    private String baseImage;
    private RegistryCredentials baseCredentials;
    private final List<BakedArtifact> artifacts = new ArrayList<>();
    private final java.util.Map<String, byte[]> seedFiles = new java.util.TreeMap<>();
    private Path agentJar;
    private String agentJarSha256;
    private PierDat pierDat;
    private boolean allowInsecureRegistries;
    private boolean offline;
    private Path applicationLayersCache;
    private Path baseImageLayersCache;
    private Path stagingDirectory;
    private String toolName = "pierdat";
    private String toolVersion = PierdatVersion.get();
    private Instant creationTime = Instant.EPOCH;
    private List<String> agentJvmFlags = AgentCommand.DEFAULT_JVM_FLAGS;
    private boolean verifyArtifacts = true;
    private boolean ociFormat;
    private Path dockerExecutable;
    private Map<String, String> dockerEnvironment = Map.of();
    private ImageLog log = ImageLog.silent();

    private Builder() {}

    /**
     * The base image: {@code scratch}, a registry reference ({@code eclipse-temurin:17-jre}),
     * {@code tar://<path>} (a Docker-format tar, as {@code docker save} writes) or {@code docker://<name>}
     * (an image in the local Docker daemon). Required.
     */
    public Builder baseImage(String baseImage) {
      this.baseImage = baseImage;
      return this;
    }

    /** Credentials for the base image's registry; default: Docker config and credential helpers. */
    public Builder baseCredentials(RegistryCredentials baseCredentials) {
      this.baseCredentials = baseCredentials;
      return this;
    }

    /** Adds an artifact; each becomes one layer, in the order added. */
    public Builder addArtifact(BakedArtifact artifact) {
      artifacts.add(Objects.requireNonNull(artifact, "artifact"));
      return this;
    }

    /** Adds a file a backend needs at run time below /opt/pierdat (see {@link ImageContents.Builder#addSeedFile}). */
    public Builder addSeedFile(String imagePath, byte[] content) {
      seedFiles.put(Objects.requireNonNull(imagePath, "imagePath"), content.clone());
      return this;
    }

    /** The pierdat agent jar. Required. */
    public Builder agentJar(Path agentJar) {
      this.agentJar = agentJar;
      this.agentJarSha256 = null;
      return this;
    }

    /** The pierdat agent jar and its sha256, known to the caller, so the build does not hash it again. */
    public Builder agentJar(Path agentJar, String sha256) {
      this.agentJar = agentJar;
      this.agentJarSha256 = sha256;
      return this;
    }

    /**
     * pier.dat without {@code app}: the assembler fills it from the base image's ENTRYPOINT, CMD and working
     * directory. Its artifacts must be the added ones. Default: default settings and the added artifacts.
     */
    public Builder pierDat(PierDat pierDat) {
      this.pierDat = pierDat;
      return this;
    }

    /** Allow plain HTTP and unverified HTTPS registries (base and target). Default false. */
    public Builder allowInsecureRegistries(boolean allowInsecureRegistries) {
      this.allowInsecureRegistries = allowInsecureRegistries;
      return this;
    }

    /** Build without network: a registry base must be in the base image cache; no registry target. */
    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    /** Jib's application layer cache, per project (e.g. {@code target/pierdat/jib-cache}). Required. */
    public Builder applicationLayersCache(Path applicationLayersCache) {
      this.applicationLayersCache = applicationLayersCache;
      return this;
    }

    /** Jib's base image layer cache; default Jib's machine-wide one, shared with the Jib plugins. */
    public Builder baseImageLayersCache(Path baseImageLayersCache) {
      this.baseImageLayersCache = baseImageLayersCache;
      return this;
    }

    /**
     * Where pier.dat and the agent jar are staged under content-addressed paths; default
     * {@code pierdat-staging} in the application layer cache.
     */
    public Builder stagingDirectory(Path stagingDirectory) {
      this.stagingDirectory = stagingDirectory;
      return this;
    }

    /** The tool name in the image history (default {@code pierdat}). */
    public Builder toolName(String toolName) {
      this.toolName = Objects.requireNonNull(toolName, "toolName");
      return this;
    }

    /** The tool version in the image history (default the pierdat version). */
    public Builder toolVersion(String toolVersion) {
      this.toolVersion = Objects.requireNonNull(toolVersion, "toolVersion");
      return this;
    }

    /** The image's creation time (default the epoch, for reproducible digests). */
    public Builder creationTime(Instant creationTime) {
      this.creationTime = Objects.requireNonNull(creationTime, "creationTime");
      return this;
    }

    /** JVM flags of the agent in the entrypoint (default {@link AgentCommand#DEFAULT_JVM_FLAGS}). */
    public Builder agentJvmFlags(List<String> agentJvmFlags) {
      this.agentJvmFlags = List.copyOf(agentJvmFlags);
      return this;
    }

    /** Whether to check each artifact file's sha256 before baking it (default true). */
    public Builder verifyArtifacts(boolean verifyArtifacts) {
      this.verifyArtifacts = verifyArtifacts;
      return this;
    }

    /** Write an OCI image instead of a Docker v2.2 image (default false). */
    public Builder ociFormat(boolean ociFormat) {
      this.ociFormat = ociFormat;
      return this;
    }

    /** The {@code docker} command and its extra environment, for a {@code docker://} base image. */
    public Builder baseDockerClient(Path dockerExecutable, Map<String, String> dockerEnvironment) {
      this.dockerExecutable = dockerExecutable;
      this.dockerEnvironment = Map.copyOf(Objects.requireNonNullElse(dockerEnvironment, Map.of()));
      return this;
    }

    /** Where progress and Jib's messages go (default nowhere). */
    public Builder log(ImageLog log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /** Checks the required settings and returns the assembler. */
    public ImageAssembler build() throws ImageException {
      if (baseImage == null) {
        throw new ImageException("baseImage is not set; expected \"scratch\", a registry reference,"
            + " tar://<path> or docker://<name>");
      }
      if (agentJar == null) {
        throw new ImageException("agentJar is not set; expected the pierdat agent jar");
      }
      if (applicationLayersCache == null) {
        throw new ImageException("applicationLayersCache is not set; expected a per-project directory such as"
            + " target/pierdat/jib-cache");
      }
      applicationLayersCache = applicationLayersCache.toAbsolutePath().normalize();
      return new ImageAssembler(this);
    }

    private Path stagingDirectory() {
      return stagingDirectory != null ? stagingDirectory : applicationLayersCache.resolve("pierdat-staging");
    }

    private Path baseImageLayersCache() {
      return baseImageLayersCache != null ? baseImageLayersCache : Containerizer.DEFAULT_BASE_CACHE_DIRECTORY;
    }
  }
}
