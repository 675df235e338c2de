package io.github.pierdat.jib;

import io.github.pierdat.maven.ArtifactConfig;
import io.github.pierdat.maven.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Where a project declares its artifacts for the extension, and the fetch settings that go with them:
 * the pierdat plugin's {@code <configuration>} in the same POM (plugin level, else the first execution
 * that has {@code <artifacts>}), or the extension's own configuration. Never both: each artifact is
 * declared once.
 *
 * @param artifacts the declared artifacts, in order
 * @param where where they were declared, for messages
 * @param cacheDirectory the configured cache directory, or null for the default
 * @param connectTimeout seconds, or null for the default
 * @param readTimeout seconds, or null for the default
 * @param retries attempts, or null for the default
 * @param skip whether pierdat is skipped
 */
public record PierdatDeclaration(
    List<ArtifactConfig> artifacts,
    String where,
    String cacheDirectory,
    Integer connectTimeout,
    Integer readTimeout,
    Integer retries,
    boolean skip) {

  /** The pierdat plugin's coordinates. */
  public static final String PLUGIN_KEY = "io.github.pierdat:pierdat-maven-plugin";

  private static final List<String> ARTIFACT_FIELDS = List.of("path", "sha256", "sources", "name", "serverId");

  public PierdatDeclaration {
    artifacts = List.copyOf(artifacts);
  }

  /**
   * The declaration in effect for {@code project}.
   *
   * @param extension the extension's {@code <configuration>}, if any
   * @param properties user and project properties ({@code pierdat.*} settings the pierdat goals also read)
   * @throws InvalidConfigurationException when no artifacts are declared, they are declared twice, or an
   *     {@code <artifact>} cannot be read
   */
  public static PierdatDeclaration resolve(MavenProject project, Optional<PierdatJibConfiguration> extension,
      Properties properties) throws InvalidConfigurationException {
    Optional<Xpp3Dom> plugin = pluginConfiguration(project);
    boolean propertySkip = Boolean.parseBoolean(properties.getProperty("pierdat.skip", "false"));
    List<ArtifactConfig> extensionArtifacts = extension.map(PierdatJibConfiguration::getArtifacts).orElse(List.of());
    if (plugin.isPresent() && !extensionArtifacts.isEmpty()) {
      throw new InvalidConfigurationException(List.of("artifacts are declared twice: in the " + PLUGIN_KEY
          + " <configuration> and in the Jib extension's <configuration>; declare them once (keep the pierdat"
          + " plugin's and remove <artifacts> from the extension's <configuration>)"));
    }
    if (plugin.isPresent()) {
      Xpp3Dom config = plugin.get();
      return new PierdatDeclaration(
          artifacts(config),
          PLUGIN_KEY + " <configuration>",
          text(config, "cacheDirectory").orElse(properties.getProperty("pierdat.cacheDirectory")),
          integer(config, "connectTimeout", properties),
          integer(config, "readTimeout", properties),
          integer(config, "retries", properties),
          propertySkip || text(config, "skip").map(Boolean::parseBoolean).orElse(false));
    }
    if (!extensionArtifacts.isEmpty()) {
      PierdatJibConfiguration config = extension.get();
      return new PierdatDeclaration(
          extensionArtifacts,
          "the Jib extension's <configuration>",
          config.getCacheDirectory() != null ? config.getCacheDirectory().getPath()
              : properties.getProperty("pierdat.cacheDirectory"),
          config.getConnectTimeout() != null ? config.getConnectTimeout() : property("connectTimeout", properties),
          config.getReadTimeout() != null ? config.getReadTimeout() : property("readTimeout", properties),
          config.getRetries() != null ? config.getRetries() : property("retries", properties),
          propertySkip || config.isSkip());
    }
    if (propertySkip || extension.map(PierdatJibConfiguration::isSkip).orElse(false)) {
      return new PierdatDeclaration(List.of(), "nowhere", null, null, null, null, true);
    }
    throw new InvalidConfigurationException(List.of("the pierdat Jib extension has no artifacts to bake: neither the "
        + PLUGIN_KEY + " <configuration> nor the extension's <configuration> has <artifacts>; declare them"
        + " in the pierdat plugin's <configuration>, or in <pluginExtension><configuration"
        + " implementation=\"" + PierdatJibConfiguration.class.getName() + "\"><artifacts>…"));
  }

  private static Optional<Xpp3Dom> pluginConfiguration(MavenProject project) {
    for (Plugin plugin : project.getBuildPlugins()) {
      if (!PLUGIN_KEY.equals(plugin.getKey())) {
        continue;
      }
      if (plugin.getConfiguration() instanceof Xpp3Dom dom && dom.getChild("artifacts") != null) {
        return Optional.of(dom);
      }
      for (PluginExecution execution : plugin.getExecutions()) {
        if (execution.getConfiguration() instanceof Xpp3Dom dom && dom.getChild("artifacts") != null) {
          return Optional.of(dom);
        }
      }
    }
    return Optional.empty();
  }

  private static List<ArtifactConfig> artifacts(Xpp3Dom config) throws InvalidConfigurationException {
    List<ArtifactConfig> artifacts = new ArrayList<>();
    Xpp3Dom list = config.getChild("artifacts");
    if (list == null) {
      return artifacts;
    }
    List<String> problems = new ArrayList<>();
    for (Xpp3Dom element : list.getChildren()) {
      if (!element.getName().equals("artifact")) {
        problems.add("<artifacts> holds <" + element.getName() + ">; expected only <artifact> elements");
        continue;
      }
      ArtifactConfig artifact = new ArtifactConfig();
      for (Xpp3Dom field : element.getChildren()) {
        switch (field.getName()) {
          case "path" -> artifact.setPath(field.getValue());
          case "sha256" -> artifact.setSha256(field.getValue());
          case "name" -> artifact.setName(field.getValue());
          case "serverId" -> artifact.setServerId(field.getValue());
          case "sources" -> {
            List<String> sources = new ArrayList<>();
            for (Xpp3Dom source : field.getChildren()) {
              sources.add(source.getValue());
            }
            artifact.setSources(sources);
          }
          default -> problems.add("artifact #" + (artifacts.size() + 1) + ": unknown element <" + field.getName()
              + ">; expected one of " + ARTIFACT_FIELDS);
        }
      }
      artifacts.add(artifact);
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
    return artifacts;
  }

  private static Optional<String> text(Xpp3Dom config, String name) {
    Xpp3Dom child = config.getChild(name);
    return child == null || child.getValue() == null || child.getValue().isBlank()
        ? Optional.empty() : Optional.of(child.getValue().trim());
  }

  private static Integer integer(Xpp3Dom config, String name, Properties properties)
      throws InvalidConfigurationException {
    Optional<String> value = text(config, name);
    return value.isPresent() ? parse(value.get(), "<" + name + ">") : property(name, properties);
  }

  private static Integer property(String name, Properties properties) throws InvalidConfigurationException {
    String value = properties.getProperty("pierdat." + name);
    return value == null || value.isBlank() ? null : parse(value.trim(), "pierdat." + name);
  }

  private static Integer parse(String value, String where) throws InvalidConfigurationException {
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw new InvalidConfigurationException(List.of(where + " is '" + value + "'; expected a whole number"));
    }
  }
}
