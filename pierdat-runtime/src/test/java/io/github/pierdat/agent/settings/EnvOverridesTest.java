package io.github.pierdat.agent.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.manifest.AgentSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvOverridesTest {

  @Test
  void variablesOverridePierDatSettings() throws Exception {
    EnvOverrides env = EnvOverrides.parse(Map.of(
        "PIERDAT_HTTP_PORT", "8080", "PIERDAT_BT_PORT", "6999", "PIERDAT_BIND", "127.0.0.1",
        "PIERDAT_ADVERTISE", "node1.example:9000", "PIERDAT_UPLOAD_LIMIT", "10M",
        "PIERDAT_PEERS", "10.0.0.1:7780, dns:seeds.example:7780,[::1]:7780", "PIERDAT_BACKENDS", "http",
        "PIERDAT_TRACKERS", "udp://tracker.example:6969/announce", "PIERDAT_LOG", "DEBUG",
        "PATH", "/bin"));
    AgentSettings s = env.applyTo(AgentSettings.defaults());
    assertEquals(new AgentSettings(8080, 6999, "127.0.0.1", "node1.example:9000", 10L << 20,
        List.of("10.0.0.1:7780", "dns:seeds.example:7780", "[::1]:7780"), List.of("http"),
        List.of("udp://tracker.example:6969/announce"), "debug"), s);
  }

  @Test
  void unsetAndEmptyVariablesKeepPierDatSettingsAndDefaults() throws Exception {
    EnvOverrides env = EnvOverrides.parse(Map.of("PIERDAT_HTTP_PORT", ""));
    AgentSettings mine = new AgentSettings(1234, 5678, "::", null, 99, List.of(), List.of("http"), List.of(), "info");
    assertEquals(mine, env.applyTo(mine));
    assertEquals(Duration.ofSeconds(10), env.grace());
    assertEquals(VerifyMode.SIZE, env.verify());
    assertTrue(env.faults().isEmpty());
  }

  @Test
  void byteSizesAcceptBinarySuffixes() {
    assertEquals(500, EnvOverrides.parseBytes("500"));
    assertEquals(500 * 1024, EnvOverrides.parseBytes("500k"));
    assertEquals(10L << 20, EnvOverrides.parseBytes("10M"));
    assertEquals(10L << 20, EnvOverrides.parseBytes("10MiB"));
    assertEquals(2L << 30, EnvOverrides.parseBytes("2G"));
  }

  @Test
  void graceAcceptsFractionalSecondsAndVerifyAcceptsFull() throws Exception {
    EnvOverrides env = EnvOverrides.parse(Map.of("PIERDAT_GRACE", "2.5", "PIERDAT_VERIFY", "full"));
    assertEquals(Duration.ofMillis(2500), env.grace());
    assertEquals(VerifyMode.FULL, env.verify());
  }

  @Test
  void backendsNoneDisablesSeeding() throws Exception {
    AgentSettings s = EnvOverrides.parse(Map.of("PIERDAT_BACKENDS", "none")).applyTo(AgentSettings.defaults());
    assertEquals(List.of(EnvOverrides.NO_BACKENDS), s.backends());
  }

  @Test
  void malformedValuesNameTheVariableTheValueAndWhatIsExpected() {
    Map<String, String> cases = Map.ofEntries(
        Map.entry("PIERDAT_HTTP_PORT", "70000"), Map.entry("PIERDAT_BT_PORT", "x"),
        Map.entry("PIERDAT_BIND", "not an address"), Map.entry("PIERDAT_UPLOAD_LIMIT", "fast"),
        Map.entry("PIERDAT_PEERS", "host-without-port"), Map.entry("PIERDAT_BACKENDS", "Http!"),
        Map.entry("PIERDAT_LOG", "verbose"), Map.entry("PIERDAT_GRACE", "-1"),
        Map.entry("PIERDAT_VERIFY", "sometimes"), Map.entry("PIERDAT_TRACKERS", "ftp://x"),
        Map.entry("PIERDAT_ADVERTISE", "a b"), Map.entry("PIERDAT_TEST_FAULTS", "explode"),
        Map.entry("PIERDAT_IPFS_API", "127.0.0.1:5001"), Map.entry("PIERDAT_DHT", "sometimes"));
    cases.forEach((name, value) -> {
      SettingsException e = assertThrows(SettingsException.class, () -> EnvOverrides.parse(Map.of(name, value)), name);
      assertTrue(e.getMessage().startsWith(name + "='" + value + "' is not valid: expected "), e.getMessage());
    });
  }

  @Test
  void unknownPierdatVariableIsRefusedWithTheKnownOnesListed() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> EnvOverrides.parse(Map.of("PIERDAT_UPLOADLIMIT", "1M")));
    assertTrue(e.getMessage().contains("unknown environment variable PIERDAT_UPLOADLIMIT"), e.getMessage());
    assertTrue(e.getMessage().contains("PIERDAT_UPLOAD_LIMIT"), e.getMessage());
  }

  @Test
  void ipfsApiBecomesTheIpfsSeedOption() throws Exception {
    EnvOverrides env = EnvOverrides.parse(Map.of("PIERDAT_IPFS_API", "http://127.0.0.1:5001"));
    assertEquals(Map.of("ipfs.api", "http://127.0.0.1:5001"), env.backendOptions());
    assertEquals(Map.of(), EnvOverrides.parse(Map.of()).backendOptions());
  }

  @Test
  void dhtOnOrOffBecomesTheBitTorrentDhtSeedOption() throws Exception {
    assertEquals(Map.of("bittorrent.dht", "true"), EnvOverrides.parse(Map.of("PIERDAT_DHT", "on")).backendOptions());
    assertEquals(Map.of("bittorrent.dht", "false"), EnvOverrides.parse(Map.of("PIERDAT_DHT", "OFF")).backendOptions());
  }

  @Test
  void malformedIpfsApiNeverEchoesItsCredentials() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> EnvOverrides.parse(Map.of("PIERDAT_IPFS_API", "ftp://user:s3cret@node:5001")));
    assertTrue(e.getMessage().startsWith("PIERDAT_IPFS_API='"), e.getMessage());
    assertTrue(e.getMessage().contains("http://127.0.0.1:5001"), e.getMessage());
    assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
  }
}
