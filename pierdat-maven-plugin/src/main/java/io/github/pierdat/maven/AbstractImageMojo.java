package io.github.pierdat.maven;

import io.github.pierdat.image.BakedArtifact;
import io.github.pierdat.image.ImageAssembler;
import io.github.pierdat.image.ImageException;
import io.github.pierdat.image.ImageResult;
import io.github.pierdat.image.ImageTarget;
import io.github.pierdat.image.RegistryCredentials;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.maven.ArtifactFetch.Fetched;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** The image goals: fetch, then assemble base + one layer per artifact + the agent layer with jib-core. */
abstract class AbstractImageMojo extends AbstractPierdatMojo {

  /** The base image ({@code <image>}, optional {@code <auth>}): any image with Java 17+, or {@code scratch}. */
  @Parameter
  protected FromConfig from = new FromConfig();

  /** The image to build ({@code <image>}, optional {@code <auth>} and {@code <tags>}). */
  @Parameter
  protected ToConfig to = new ToConfig();

  /** Overrides {@code <from><image>}. */
  @Parameter(property = "pierdat.from.image")
  protected String fromImage;

  /** Overrides {@code <to><image>}. */
  @Parameter(property = "pierdat.to.image")
  protected String toImage;

  /** Extra tags, comma separated; added to {@code <to><tags>}. */
  @Parameter(property = "pierdat.to.tags")
  protected String toTags;

  /** Allows registries over plain HTTP or with unverified TLS, for the base and the target image. */
  @Parameter(property = "pierdat.allowInsecureRegistries", defaultValue = "false")
  protected boolean allowInsecureRegistries;

  private final MavenSettingsFactory settingsFactory;

  protected AbstractImageMojo(SettingsDecrypter settingsDecrypter) {
    super(settingsDecrypter);
    this.settingsFactory = () -> new MavenSettings(session.getSettings(), settingsDecrypter);
  }

  /** Where this goal sends the image. */
  protected abstract ImageTarget target(String reference, MavenSettings settings) throws InvalidConfigurationException;

  /** The reference of the built image when {@code <to><image>} is not set, or null to require it. */
  protected String defaultReference() {
    return project.getArtifactId() + ":" + project.getVersion();
  }

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping pierdat (pierdat.skip)");
      return;
    }
    MavenSettings settings = settingsFactory.create();
    String base = firstNonBlank(fromImage, from.getImage());
    String reference = firstNonBlank(toImage, to.getImage(), defaultReference());
    ImageTarget target;
    Optional<RegistryCredentials> baseCredentials;
    try {
      if (base == null) {
        throw new InvalidConfigurationException(List.of("no base image: set <from><image> (or -Dpierdat.from.image)"
            + " to an image with Java 17+, e.g. eclipse-temurin:17-jre, or to scratch for a data-only image"));
      }
      if (reference == null) {
        throw new InvalidConfigurationException(List.of("no target image: set <to><image> (or -Dpierdat.to.image),"
            + " e.g. registry.example.com/team/model-server:1.0"));
      }
      baseCredentials = RegistryAuth.credentials(from.getAuth(), base, settings, "<from><auth>");
      target = target(reference, settings);
    } catch (InvalidConfigurationException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }

    List<Fetched> fetched = fetchArtifacts();
    AgentJar.Extracted agent = agentJar();
    ImageAssembler.Builder assembler = ImageAssembler.builder()
        .baseImage(base)
        .agentJar(agent.file(), agent.sha256())
        .pierDat(PierDat.of(AppCommand.none(), fetched.stream().map(Fetched::entry).toList()))
        // Every file comes from the cache, which only ever holds files renamed in after their sha256
        // matched; hashing each again before baking would read every artifact twice per build.
        .verifyArtifacts(false)
        .allowInsecureRegistries(allowInsecureRegistries)
        .offline(session.isOffline())
        .applicationLayersCache(cacheRoot().resolve("jib-layers"))
        .log(new MavenLog(getLog()));
    baseCredentials.ifPresent(assembler::baseCredentials);
    fetched.forEach(f -> assembler.addArtifact(new BakedArtifact(f.entry(), f.artifact().file())));
    torrentFiles(fetched).forEach(assembler::addSeedFile);

    ImageResult result;
    try {
      result = assembler.build().containerize(target);
    } catch (ImageException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    writeOutputs(result);
    getLog().info("Built image " + target.reference() + " with digest " + result.digest());
    if (target instanceof ImageTarget.Tar tar) {
      getLog().info("Wrote the image to " + tar.file() + " (podman load -i / docker load -i)");
    }
  }

  /** The tags of {@code <to><tags>} and {@code pierdat.to.tags}. */
  protected java.util.Set<String> extraTags() {
    java.util.Set<String> tags = new java.util.LinkedHashSet<>(to.getTags());
    if (toTags != null) {
      for (String tag : toTags.split(",")) {
        if (!tag.isBlank()) {
          tags.add(tag.trim());
        }
      }
    }
    return tags;
  }

  protected ToConfig toConfig() {
    return to;
  }

  private void writeOutputs(ImageResult result) throws MojoExecutionException {
    Path dir = outputDirectory.toPath();
    try {
      PierDatCodec.write(result.pierDat(), dir.resolve("pier.dat"));
      writeAtomically(dir.resolve("image-digest"), result.digest());
      writeAtomically(dir.resolve("image-id"), result.imageId());
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write the build outputs in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private AgentJar.Extracted agentJar() throws MojoExecutionException {
    try {
      return AgentJar.extract(cacheRoot());
    } catch (IOException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

  private static String firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }

  /** Defers reading settings until the goal runs (the session is injected after construction). */
  @FunctionalInterface
  private interface MavenSettingsFactory {
    MavenSettings create();
  }
}
