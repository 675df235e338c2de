package io.github.pierdat.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.getVariableValueFromObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Set;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.junit.jupiter.api.Test;

/** The configuration shape users write in pom.xml reaches the mojos as documented. */
@MojoTest
class ConfigurationTest {

  private static final String POM = "src/test/resources/unit/configured/pom.xml";

  @Test
  @InjectMojo(goal = "buildTar", pom = POM)
  void readsFromToAndArtifactsLikeJib(BuildTarMojo mojo) throws Exception {
    FromConfig from = getVariableValueFromObject(mojo, "from");
    ToConfig to = getVariableValueFromObject(mojo, "to");
    List<ArtifactConfig> artifacts = getVariableValueFromObject(mojo, "artifacts");

    assertEquals("eclipse-temurin:17-jre", from.getImage());
    assertEquals("registry.example.com/team/model-server:1.0", to.getImage());
    assertEquals(Set.of("latest"), to.getTags());
    assertEquals(2, artifacts.size());
    ArtifactConfig model = artifacts.get(0);
    assertEquals("/data/model.bin", model.getPath());
    assertEquals("0123456789abcdef".repeat(4), model.getSha256());
    assertEquals(List.of("https://mirror-a.example.org/model.bin", "file:/srv/data/model.bin"), model.getSources());
    assertNull(model.getName());
    ArtifactConfig index = artifacts.get(1);
    assertEquals("index", index.getName());
    assertEquals("data-mirror", index.getServerId());
    File tarImage = getVariableValueFromObject(mojo, "tarImage");
    assertTrue(tarImage.toPath().endsWith("target/image.tar"), tarImage.toString());
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void defaultsAreSafe(BuildMojo mojo) throws Exception {
    assertFalse((Boolean) getVariableValueFromObject(mojo, "allowInsecureRegistries"));
    assertFalse((Boolean) getVariableValueFromObject(mojo, "skip"));
    assertEquals(20, (Integer) getVariableValueFromObject(mojo, "connectTimeout"));
    assertEquals(60, (Integer) getVariableValueFromObject(mojo, "readTimeout"));
    assertEquals(4, (Integer) getVariableValueFromObject(mojo, "retries"));
  }
}
