package io.github.pierdat.jib;

import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.maven.extension.JibMavenPluginExtension;
import com.google.cloud.tools.jib.maven.extension.MavenData;
import com.google.cloud.tools.jib.plugins.extension.ExtensionLogger;
import com.google.cloud.tools.jib.plugins.extension.ExtensionLogger.LogLevel;
import com.google.cloud.tools.jib.plugins.extension.JibPluginExtensionException;
import io.github.pierdat.backend.Backends;
import io.github.pierdat.fetch.ArtifactFetchException;
import io.github.pierdat.image.BakedArtifact;
import io.github.pierdat.image.ImageException;
import io.github.pierdat.image.StagingArea;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.maven.AgentJar;
import io.github.pierdat.maven.ArtifactFetch;
import io.github.pierdat.maven.InvalidConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The Jib Maven plugin extension: {@code mvn compile jib:build} (or {@code jib:buildTar},
 * {@code jib:dockerBuild}) makes a self-seeding image. It fetches the declared artifacts through the
 * pierdat cache (as {@code pierdat:fetch} does, so a cached artifact costs nothing), adds one layer per
 * artifact, the agent and pier.dat (the same layers {@code pierdat:build} makes) and labels, and makes the
 * agent run Jib's command.
 *
 * <p>Artifacts come from the pierdat plugin's {@code <configuration>} in the same POM, or from the
 * extension's own {@code <configuration implementation="io.github.pierdat.jib.PierdatJibConfiguration">}.
 * The agent mode is {@code process} (default) or {@code javaagent}: set {@code <agentMode>} in that
 * configuration, {@code <properties><agentMode>} of the {@code <pluginExtension>}, or
 * {@code -Dpierdat.agentMode}. {@code -Dpierdat.skip} leaves Jib's image as it is.
 */
public final class PierdatJibExtension implements JibMavenPluginExtension<PierdatJibConfiguration> {

  /** The extension property and user property that choose the {@link AgentMode}. */
  public static final String AGENT_MODE = "agentMode";

  @Override
  public Optional<Class<PierdatJibConfiguration>> getExtraConfigType() {
    return Optional.of(PierdatJibConfiguration.class);
  }

  @Override
  public ContainerBuildPlan extendContainerBuildPlan(ContainerBuildPlan plan, Map<String, String> properties,
      Optional<PierdatJibConfiguration> config, MavenData mavenData, ExtensionLogger logger)
      throws JibPluginExtensionException {
    MavenProject project = mavenData.getMavenProject();
    MavenSession session = mavenData.getMavenSession();
    Properties mavenProperties = mavenProperties(project, session);
    try {
      PierdatDeclaration declaration = PierdatDeclaration.resolve(project, config, mavenProperties);
      if (declaration.skip()) {
        logger.log(LogLevel.LIFECYCLE, "Skipping pierdat (pierdat.skip): the image is Jib's alone");
        return plan;
      }
      AgentMode mode = agentMode(properties, config, mavenProperties);
      Path cacheRoot = declaration.cacheDirectory() != null
          ? project.getBasedir().toPath().resolve(declaration.cacheDirectory()).toAbsolutePath().normalize()
          : ArtifactFetch.defaultCacheRoot(session.getRepositorySession().getLocalRepository().getBasedir().toPath());
      ArtifactFetch.Builder fetch = ArtifactFetch.builder()
          .artifacts(declaration.artifacts())
          .backends(Backends.load(PierdatJibExtension.class.getClassLoader()))
          .cacheRoot(cacheRoot)
          .settings(session.getSettings(), settingsDecrypter(session))
          .offline(session.isOffline())
          .log(new ExtensionFetchLog(logger));
      if (declaration.connectTimeout() != null) {
        fetch.connectTimeout(declaration.connectTimeout());
      }
      if (declaration.readTimeout() != null) {
        fetch.readTimeout(declaration.readTimeout());
      }
      if (declaration.retries() != null) {
        fetch.retries(declaration.retries());
      }
      ArtifactFetch artifactFetch = fetch.build();
      List<ArtifactFetch.Fetched> fetched = artifactFetch.fetchAll();

      List<BakedArtifact> baked = fetched.stream()
          .map(f -> new BakedArtifact(f.entry(), f.artifact().file()))
          .toList();
      PierDat pierDat = PierDat.of(AppCommand.none(), fetched.stream().map(ArtifactFetch.Fetched::entry).toList());
      // The same staging place as the pierdat goals, so both builds stage to the same paths.
      StagingArea staging = new StagingArea(cacheRoot.resolve("jib-layers").resolve("pierdat-staging"));
      AgentJar.Extracted agent = AgentJar.extract(cacheRoot);
      ContainerBuildPlan extended = new BuildPlanExtender(mode, agent.file(), agent.sha256(), staging)
          .extend(plan, baked, pierDat, artifactFetch.seedFiles(fetched));
      logger.log(LogLevel.LIFECYCLE, "pierdat: " + baked.size() + " artifact layer(s) from " + declaration.where()
          + ", agent mode " + mode.name().toLowerCase(java.util.Locale.ROOT));
      return extended;
    } catch (InvalidConfigurationException | ArtifactFetchException | ImageException e) {
      throw new JibPluginExtensionException(PierdatJibExtension.class, e.getMessage(), e);
    } catch (IOException e) {
      throw new JibPluginExtensionException(PierdatJibExtension.class, "pierdat: " + e.getMessage(), e);
    }
  }

  private static AgentMode agentMode(Map<String, String> properties, Optional<PierdatJibConfiguration> config,
      Properties mavenProperties) throws InvalidConfigurationException {
    String property = mavenProperties.getProperty("pierdat." + AGENT_MODE);
    if (property != null && !property.isBlank()) {
      return AgentMode.parse(property, "-Dpierdat." + AGENT_MODE);
    }
    String configured = config.map(PierdatJibConfiguration::getAgentMode).orElse(null);
    if (configured != null && !configured.isBlank()) {
      return AgentMode.parse(configured, "<" + AGENT_MODE + "> of the extension's <configuration>");
    }
    String extensionProperty = properties.get(AGENT_MODE);
    if (extensionProperty != null && !extensionProperty.isBlank()) {
      return AgentMode.parse(extensionProperty, "<properties><" + AGENT_MODE + "> of the <pluginExtension>");
    }
    return AgentMode.PROCESS;
  }

  /** System, then project, then user properties (the later win), as Maven resolves {@code ${...}}. */
  private static Properties mavenProperties(MavenProject project, MavenSession session) {
    Properties merged = new Properties();
    merged.putAll(session.getSystemProperties());
    merged.putAll(project.getProperties());
    merged.putAll(session.getUserProperties());
    return merged;
  }

  @SuppressWarnings("deprecation") // extensions get no injection; the session's container has the decrypter
  private static SettingsDecrypter settingsDecrypter(MavenSession session) throws InvalidConfigurationException {
    try {
      return session.getContainer().lookup(SettingsDecrypter.class);
    } catch (Exception e) {
      throw new InvalidConfigurationException(List.of("cannot get Maven's settings decrypter for settings.xml"
          + " credentials: " + e));
    }
  }
}
