package io.github.pierdat.jib;

import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.api.buildplan.LayerObject;
import io.github.pierdat.image.BakedArtifact;
import io.github.pierdat.image.ImageContents;
import io.github.pierdat.image.ImageException;
import io.github.pierdat.image.StagingArea;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.ImagePaths;
import io.github.pierdat.manifest.PierDat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Adds pierdat to the build plan Jib made for the app: the {@link ImageContents} layers (one per artifact,
 * the agent, pier.dat: the same layers {@code pierdat:build} makes) after Jib's own, the labels, and the
 * agent, either as the entrypoint running Jib's command as its child ({@link AgentMode#PROCESS}) or inside
 * the app's JVM ({@link AgentMode#JAVAAGENT}). User, environment, ports, volumes and args stay Jib's.
 */
final class BuildPlanExtender {

  /** The JVM option that loads the agent into the app's JVM. */
  static final String JAVAAGENT_OPTION = "-javaagent:" + ImagePaths.AGENT_JAR;

  private final AgentMode mode;
  private final Path agentJar;
  private final String agentJarSha256;
  private final StagingArea staging;

  BuildPlanExtender(AgentMode mode, Path agentJar, StagingArea staging) {
    this(mode, agentJar, null, staging);
  }

  /** {@code agentJarSha256}: the agent jar's sha256 when known, or null to hash it. */
  BuildPlanExtender(AgentMode mode, Path agentJar, String agentJarSha256, StagingArea staging) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.agentJar = Objects.requireNonNull(agentJar, "agentJar");
    this.agentJarSha256 = agentJarSha256;
    this.staging = Objects.requireNonNull(staging, "staging");
  }

  /**
   * The extended plan.
   *
   * @param plan Jib's plan, with Jib's entrypoint (or the user's {@code <container><entrypoint>})
   * @param artifacts the verified artifacts, in declaration order
   * @param pierDat pier.dat for the artifacts ({@code app} is filled from the plan)
   * @param seedFiles files the seeders need (the torrents), by image path, as {@code pierdat:build} adds them
   */
  ContainerBuildPlan extend(ContainerBuildPlan plan, List<BakedArtifact> artifacts, PierDat pierDat,
      Map<String, byte[]> seedFiles)
      throws ImageException {
    checkPaths(plan, artifacts);
    List<String> entrypoint = plan.getEntrypoint();
    if (entrypoint == null || entrypoint.isEmpty()) {
      if (mode == AgentMode.PROCESS) {
        throw new ImageException("Jib's build plan has no entrypoint (<container><entrypoint>INHERIT</entrypoint>?);"
            + " the pierdat agent needs the app's command to run it: set <container><entrypoint> to the command,"
            + " or use agentMode javaagent");
      }
    }
    AppCommand app = new AppCommand(entrypoint, plan.getCmd(),
        plan.getWorkingDirectory() == null ? null : plan.getWorkingDirectory().toString());
    ImageContents.Builder builder = ImageContents.builder()
        .app(app)
        .pierDat(pierDat)
        .agentJar(agentJar, agentJarSha256)
        .staging(staging)
        // The files come from the pierdat cache, which only holds files whose sha256 matched.
        .verifyArtifacts(false);
    artifacts.forEach(builder::addArtifact);
    seedFiles.forEach(builder::addSeedFile);
    ImageContents contents = builder.build();

    List<LayerObject> layers = new ArrayList<>(plan.getLayers());
    layers.addAll(contents.layers());
    Map<String, String> labels = new TreeMap<>(plan.getLabels());
    labels.putAll(contents.labels());
    ContainerBuildPlan.Builder extended = plan.toBuilder().setLayers(layers).setLabels(labels);
    if (mode == AgentMode.PROCESS) {
      extended.setEntrypoint(contents.entrypoint());
    } else if (isJavaCommand(entrypoint)) {
      List<String> withAgent = new ArrayList<>(entrypoint);
      withAgent.add(1, JAVAAGENT_OPTION);
      extended.setEntrypoint(withAgent);
    } else {
      // Not a java command line (a custom entrypoint or a script): every JVM it starts picks this up.
      Map<String, String> environment = new LinkedHashMap<>(plan.getEnvironment());
      String options = environment.get("JAVA_TOOL_OPTIONS");
      environment.put("JAVA_TOOL_OPTIONS", options == null || options.isBlank()
          ? JAVAAGENT_OPTION : JAVAAGENT_OPTION + " " + options);
      extended.setEnvironment(environment);
    }
    return extended.build();
  }

  private static boolean isJavaCommand(List<String> entrypoint) {
    if (entrypoint == null || entrypoint.isEmpty()) {
      return false;
    }
    String command = entrypoint.get(0);
    return command.equals("java") || command.endsWith("/java");
  }

  private static void checkPaths(ContainerBuildPlan plan, List<BakedArtifact> artifacts) throws ImageException {
    JibPathConflicts conflicts = new JibPathConflicts(plan);
    List<String> problems = new ArrayList<>();
    for (BakedArtifact artifact : artifacts) {
      conflicts.problem("artifact '" + artifact.entry().name() + "'", artifact.entry().path()).ifPresent(problems::add);
    }
    for (String own : List.of(ImagePaths.AGENT_JAR, ImagePaths.PIER_DAT)) {
      Optional<String> problem = conflicts.problem("pierdat's " + own.substring(own.lastIndexOf('/') + 1), own);
      problem.ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      throw new ImageException(String.join(System.lineSeparator(), problems));
    }
  }
}
