package io.github.pierdat.jib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.LayerObject;
import com.google.cloud.tools.jib.api.buildplan.Port;
import io.github.pierdat.image.BakedArtifact;
import io.github.pierdat.image.ImageException;
import io.github.pierdat.image.PierdatLayers;
import io.github.pierdat.image.StagingArea;
import io.github.pierdat.manifest.AppCommand;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildPlanExtenderTest {

  private static final List<String> JIB_ENTRYPOINT =
      List.of("java", "-Xmx64m", "-cp", "@/app/jib-classpath-file", "com.example.Main");

  @TempDir
  Path dir;

  private Path agentJar;
  private StagingArea staging;
  private BakedArtifact artifact;
  private ContainerBuildPlan jibPlan;

  @BeforeEach
  void setUp() throws Exception {
    agentJar = Files.write(dir.resolve("agent.jar"), "agent".getBytes(StandardCharsets.UTF_8));
    staging = new StagingArea(dir.resolve("staging"));
    artifact = artifact("/data/corpus.bin", "corpus");
    Path classpathFile = Files.writeString(dir.resolve("jib-classpath-file"), "/app/classes");
    jibPlan = ContainerBuildPlan.builder()
        .setBaseImage("base")
        .setEntrypoint(JIB_ENTRYPOINT)
        .setCmd(List.of("--port", "8080"))
        .setUser("1000")
        .addEnvironmentVariable("APP", "1")
        .addExposedPort(Port.tcp(8080))
        .addLabel("team", "data")
        .setWorkingDirectory(AbsoluteUnixPath.get("/work"))
        .addLayer(FileEntriesLayer.builder().setName("jvm arg files")
            .addEntry(classpathFile, AbsoluteUnixPath.get("/app/jib-classpath-file")).build())
        .addLayer(FileEntriesLayer.builder().setName("extra files")
            .addEntry(classpathFile, AbsoluteUnixPath.get("/srv/config.txt")).build())
        .build();
  }

  private BakedArtifact artifact(String path, String content) throws Exception {
    Path file = Files.writeString(dir.resolve(content + ".bin"), content);
    return new BakedArtifact(new ArtifactEntry(null, path, Files.size(file), "00".repeat(32), List.of(), List.of()),
        file);
  }

  private ContainerBuildPlan extend(AgentMode mode, ContainerBuildPlan plan, BakedArtifact... artifacts)
      throws ImageException {
    List<BakedArtifact> list = List.of(artifacts);
    PierDat pierDat = PierDat.of(AppCommand.none(), list.stream().map(BakedArtifact::entry).toList());
    return new BuildPlanExtender(mode, agentJar, staging).extend(plan, list, pierDat, Map.of());
  }

  @Test
  void processModeRunsJibsCommandUnderTheAgentAndKeepsTheRestOfThePlan() throws Exception {
    ContainerBuildPlan plan = extend(AgentMode.PROCESS, jibPlan, artifact);

    assertEquals("java", plan.getEntrypoint().get(0));
    assertEquals(List.of("-jar", "/opt/pierdat/pierdat-agent.jar", "run", "--"),
        plan.getEntrypoint().subList(plan.getEntrypoint().size() - 4, plan.getEntrypoint().size()));
    assertEquals(List.of("--port", "8080"), plan.getCmd());
    assertEquals("1000", plan.getUser());
    assertEquals(Map.of("APP", "1"), plan.getEnvironment());
    assertEquals(jibPlan.getExposedPorts(), plan.getExposedPorts());
    assertEquals("data", plan.getLabels().get("team"));
    assertEquals("/data/corpus.bin", plan.getLabels().get("io.github.pierdat.artifact.0.path"));
    PierDat written = PierDatCodec.read(pierDatSource(plan));
    assertEquals(new AppCommand(JIB_ENTRYPOINT, List.of("--port", "8080"), "/work"), written.app());
  }

  @Test
  void appendsTheSameLayersPierdatBuildMakesAfterJibsOwn() throws Exception {
    ContainerBuildPlan plan = extend(AgentMode.PROCESS, jibPlan, artifact);
    List<? extends LayerObject> layers = plan.getLayers();

    assertEquals(jibPlan.getLayers(), layers.subList(0, 2));
    assertEquals(5, layers.size(), "Jib's two, the artifact, the agent, pier.dat");
    FileEntriesLayer expected = new PierdatLayers(staging).artifactLayer(artifact);
    assertEquals(expected.getEntries(), ((FileEntriesLayer) layers.get(2)).getEntries());
    for (FileEntry entry : ((FileEntriesLayer) layers.get(2)).getEntries()) {
      assertEquals("0:0", entry.getOwnership());
      assertEquals(PierdatLayers.MODIFICATION_TIME, entry.getModificationTime());
    }
  }

  @Test
  void javaagentModeAddsTheAgentToJibsJavaCommand() throws Exception {
    ContainerBuildPlan plan = extend(AgentMode.JAVAAGENT, jibPlan, artifact);

    assertEquals(List.of("java", "-javaagent:/opt/pierdat/pierdat-agent.jar", "-Xmx64m", "-cp",
        "@/app/jib-classpath-file", "com.example.Main"), plan.getEntrypoint());
    assertEquals(List.of("--port", "8080"), plan.getCmd());
  }

  @Test
  void javaagentModeWithACustomEntrypointUsesJavaToolOptions() throws Exception {
    ContainerBuildPlan custom = jibPlan.toBuilder().setEntrypoint(List.of("/start.sh"))
        .addEnvironmentVariable("JAVA_TOOL_OPTIONS", "-Xss1m").build();
    ContainerBuildPlan plan = extend(AgentMode.JAVAAGENT, custom, artifact);

    assertEquals(List.of("/start.sh"), plan.getEntrypoint());
    assertEquals("-javaagent:/opt/pierdat/pierdat-agent.jar -Xss1m", plan.getEnvironment().get("JAVA_TOOL_OPTIONS"));
  }

  @Test
  void refusesAnArtifactInsideJibsAppRoot() throws Exception {
    ImageException e = assertThrows(ImageException.class,
        () -> extend(AgentMode.PROCESS, jibPlan, artifact("/app/data/corpus.bin", "inapp")));

    assertTrue(e.getMessage().contains("artifact 'corpus.bin': path /app/data/corpus.bin is inside /app, Jib's"
        + " application root"), e.getMessage());
  }

  @Test
  void refusesAnArtifactAtAPathJibsLayersFill() throws Exception {
    ImageException e = assertThrows(ImageException.class,
        () -> extend(AgentMode.PROCESS, jibPlan, artifact("/srv/config.txt", "clash")));

    assertTrue(e.getMessage().contains("path /srv/config.txt collides with /srv/config.txt that Jib's own layers"),
        e.getMessage());
  }

  @Test
  void processModeNeedsAnEntrypoint() {
    ContainerBuildPlan inherit = jibPlan.toBuilder().setEntrypoint(null).build();

    ImageException e = assertThrows(ImageException.class, () -> extend(AgentMode.PROCESS, inherit, artifact));
    assertTrue(e.getMessage().contains("has no entrypoint"), e.getMessage());
  }

  private static Path pierDatSource(ContainerBuildPlan plan) {
    FileEntriesLayer last = (FileEntriesLayer) plan.getLayers().get(plan.getLayers().size() - 1);
    return last.getEntries().get(last.getEntries().size() - 1).getSourceFile();
  }
}
