package io.github.pierdat.it.bittorrent;

import io.github.pierdat.it.fixture.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** aria2c as a BitTorrent seeder or leecher on 127.0.0.1, with DHT, LPD and peer exchange off. */
final class Aria2 {

  /** Checks the file against the torrent first and offers only the pieces that match. */
  static final List<String> VERIFIED = List.of("--check-integrity=true", "--bt-seed-unverified=false");

  /**
   * Offers every piece of the file without checking it: with a corrupt copy in the data directory, aria2c is
   * a peer that serves corrupt pieces.
   */
  static final List<String> UNVERIFIED = List.of("--check-integrity=false", "--bt-seed-unverified=true");

  private Aria2() {}

  private static List<String> command(int port, Path dir) {
    return new ArrayList<>(List.of("aria2c",
        "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
        "--disable-ipv6=true", "--interface=127.0.0.1", "--listen-port=" + port, "--dir=" + dir,
        "--summary-interval=0", "--console-log-level=notice", "--bt-tracker-interval=2",
        "--bt-tracker-connect-timeout=5", "--follow-torrent=false", "--file-allocation=none",
        "--auto-save-interval=0", "--allow-overwrite=true"));
  }

  /** Seeds {@code torrent}, whose complete file is in {@code dataDir}, until closed; listening once returned. */
  static Daemon seeder(Path torrent, Path dataDir, Path log) throws InterruptedException {
    return seeder(torrent, dataDir, log, FreePort.find(), VERIFIED);
  }

  /**
   * Seeds {@code torrent} from {@code dataDir} on {@code port} with {@code options} (e.g. {@link #VERIFIED} or
   * {@link #UNVERIFIED}, plus limits) until closed; listening once returned.
   */
  static Daemon seeder(Path torrent, Path dataDir, Path log, int port, List<String> options)
      throws InterruptedException {
    List<String> cmd = command(port, dataDir);
    cmd.add("--seed-ratio=0.0");
    cmd.addAll(options);
    cmd.add(torrent.toString());
    return Daemon.start("aria2c seeder", dataDir, log, cmd).awaitListening(port, Duration.ofSeconds(20));
  }

  /** Downloads {@code torrent} into {@code dir} (from peers and web seeds); exits 0 once the file is complete. */
  static Daemon leecher(Path torrent, Path dir, Path log, int stopTimeoutSeconds) {
    List<String> cmd = command(FreePort.find(), dir);
    cmd.addAll(List.of("--seed-time=0", "--bt-stop-timeout=" + stopTimeoutSeconds, torrent.toString()));
    return Daemon.start("aria2c leecher", dir, log, cmd);
  }
}
