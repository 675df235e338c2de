package io.github.pierdat.jib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pierdat.maven.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class AgentModeTest {

  @Test
  void parsesBothModesInAnyCase() throws Exception {
    assertEquals(AgentMode.PROCESS, AgentMode.parse("process", "x"));
    assertEquals(AgentMode.JAVAAGENT, AgentMode.parse(" JavaAgent ", "x"));
  }

  @Test
  void namesTheSettingAndTheValueWhenUnknown() {
    InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
        () -> AgentMode.parse("sidecar", "-Dpierdat.agentMode"));
    assertEquals("Invalid pierdat configuration: -Dpierdat.agentMode is 'sidecar'; expected 'process' (the agent"
        + " runs the app as its child) or 'javaagent' (inside the app's JVM)", e.getMessage());
  }
}
