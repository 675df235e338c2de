package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.bittorrent.metainfo.InfoHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback BitTorrent swarm for tests: an opentracker and aria2c seeders and leechers, each on a free
 * port, all stopped by PID on {@link #close()}. Everything stays on 127.0.0.1 with DHT, LPD and PEX off.
 */
final class Swarm implements AutoCloseable {

  private final Path dir;
  private final List<ExternalProcess> processes = new ArrayList<>();
  private ExternalProcess tracker;
  private Path whitelist;
  private int trackerPort;
  private int counter;

  Swarm(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts opentracker on 127.0.0.1 with these infohashes whitelisted (the Debian build refuses others). It
   * chroots into its directory and drops to nobody, so the whitelist path is relative to that directory.
   */
  String startTracker(InfoHash... allowed) throws IOException, InterruptedException {
    Path root = dir.resolve("opentracker");
    Files.createDirectories(root);
    whitelist = root.resolve("whitelist.txt");
    Files.writeString(whitelist, "");
    for (InfoHash h : allowed) {
      Files.writeString(whitelist, h.hex() + "\n", StandardOpenOption.APPEND);
    }
    trackerPort = TestData.freePort();
    tracker = ExternalProcess.start("opentracker", root, dir.resolve("opentracker.log"), List.of(
        "opentracker", "-i", "127.0.0.1", "-p", Integer.toString(trackerPort), "-P", Integer.toString(trackerPort),
        "-d", root.toString(), "-u", "nobody", "-w", "whitelist.txt"));
    processes.add(tracker);
    tracker.awaitListening(trackerPort);
    return trackerUrl();
  }

  String trackerUrl() {
    return "http://127.0.0.1:" + trackerPort + "/announce";
  }

  /** Adds an infohash to the tracker's whitelist and makes it reload (SIGHUP). */
  void allow(InfoHash hash) throws IOException, InterruptedException {
    Files.writeString(whitelist, hash.hex() + "\n", StandardOpenOption.APPEND);
    tracker.signal("HUP");
    Thread.sleep(300);
  }

  private List<String> aria2(int port, Path downloadDir) {
    return new ArrayList<>(List.of("aria2c",
        "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
        "--disable-ipv6=true", "--interface=127.0.0.1", "--listen-port=" + port,
        "--dir=" + downloadDir, "--summary-interval=0", "--console-log-level=notice",
        "--bt-tracker-interval=2", "--bt-tracker-connect-timeout=5", "--follow-torrent=false",
        "--file-allocation=none", "--auto-save-interval=0", "--allow-overwrite=true"));
  }

  /** An aria2c seeding {@code torrent} whose complete file is in {@code dataDir}; returns its port. */
  int aria2Seeder(Path torrent, Path dataDir) throws IOException, InterruptedException {
    int port = TestData.freePort();
    List<String> cmd = aria2(port, dataDir);
    cmd.addAll(List.of("--seed-ratio=0.0", "--check-integrity=true", "--bt-seed-unverified=false", torrent.toString()));
    ExternalProcess p = ExternalProcess.start("aria2c seeder", dataDir, dir.resolve("aria2-seed-" + (++counter) + ".log"),
        cmd);
    processes.add(p);
    p.awaitListening(port);
    return port;
  }

  /** Starts an aria2c leecher of {@code torrent} into {@code downloadDir}; it exits 0 once the file is complete. */
  ExternalProcess aria2Leecher(Path torrent, Path downloadDir, int stopTimeoutSeconds) throws IOException {
    int port = TestData.freePort();
    List<String> cmd = aria2(port, downloadDir);
    cmd.addAll(List.of("--seed-time=0", "--bt-stop-timeout=" + stopTimeoutSeconds, torrent.toString()));
    ExternalProcess p = ExternalProcess.start("aria2c leecher", downloadDir,
        dir.resolve("aria2-leech-" + (++counter) + ".log"), cmd);
    processes.add(p);
    return p;
  }

  String trackerLog() throws IOException {
    return tracker == null ? "" : tracker.log();
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }
}
