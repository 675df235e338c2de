package io.github.pierdat.manifest;

import java.util.List;
import java.util.Objects;

/**
 * The agent's settings as written at build time; {@code PIERDAT_*} environment variables override them.
 *
 * @param httpPort the HTTP seeder's port
 * @param btPort the BitTorrent seeder's port
 * @param bind the address seeders listen on
 * @param advertise the address peers should use to reach this container (behind NAT), or null
 * @param uploadLimit the shared upload limit in bytes per second, 0 for none
 * @param peers static peers ({@code host:port} or {@code dns:name:port})
 * @param backends which seeding backends run; empty for all that have seed entries
 * @param trackers BitTorrent trackers to announce to
 * @param log the agent's log level (error, warn, info, debug)
 */
public record AgentSettings(
    int httpPort,
    int btPort,
    String bind,
    String advertise,
    long uploadLimit,
    List<String> peers,
    List<String> backends,
    List<String> trackers,
    String log) {

  public static final int DEFAULT_HTTP_PORT = 7780;
  public static final int DEFAULT_BT_PORT = 6881;

  public AgentSettings {
    bind = bind == null ? "0.0.0.0" : bind;
    peers = List.copyOf(Objects.requireNonNullElse(peers, List.of()));
    backends = List.copyOf(Objects.requireNonNullElse(backends, List.of()));
    trackers = List.copyOf(Objects.requireNonNullElse(trackers, List.of()));
    log = log == null ? "warn" : log;
  }

  /** The defaults: HTTP on 7780, BitTorrent on 6881, all interfaces, no limit, quiet. */
  public static AgentSettings defaults() {
    return new AgentSettings(DEFAULT_HTTP_PORT, DEFAULT_BT_PORT, null, null, 0, null, null, null, null);
  }
}
