package io.github.pierdat.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BackendOptionsTest {

  @Test
  void pierdatBackendPropertiesBecomeOptionsAndOwnSettingsAreLeftOut() {
    Properties system = new Properties();
    system.setProperty("pierdat.ipfs.gateways", "http://127.0.0.1:8080");
    system.setProperty("pierdat.retries", "3");
    system.setProperty("pierdat.ipfs.", "no name");
    system.setProperty("user.home", "/home/x");
    assertEquals(Map.of("ipfs.gateways", "http://127.0.0.1:8080"), BackendOptions.fromProperties(system));
  }

  @Test
  void laterSourcesOverrideEarlierOnes() {
    Map<String, String> project = Map.of("pierdat.ipfs.api", "http://a:5001", "pierdat.bittorrent.port", "6881");
    Map<String, String> user = Map.of("pierdat.ipfs.api", "http://b:5001");
    assertEquals(Map.of("ipfs.api", "http://b:5001", "bittorrent.port", "6881"),
        BackendOptions.fromProperties(project, null, user));
  }
}
