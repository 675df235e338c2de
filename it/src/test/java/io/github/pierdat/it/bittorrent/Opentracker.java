package io.github.pierdat.it.bittorrent;

import io.github.pierdat.it.fixture.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * opentracker on 127.0.0.1 (HTTP and UDP on one free port). The Debian build only tracks whitelisted
 * infohashes; it chroots into its directory and drops to nobody, so the whitelist path is relative.
 */
final class Opentracker implements AutoCloseable {

  private final Daemon daemon;
  private final Path whitelist;
  private final int port;

  private Opentracker(Daemon daemon, Path whitelist, int port) {
    this.daemon = daemon;
    this.whitelist = whitelist;
    this.port = port;
  }

  static Opentracker start(Path dir) throws InterruptedException {
    try {
      Path root = Files.createDirectories(dir.resolve("opentracker"));
      Path whitelist = Files.writeString(root.resolve("whitelist.txt"), "");
      int port = FreePort.find();
      Daemon daemon = Daemon.start("opentracker", root, dir.resolve("opentracker.log"), List.of("opentracker",
          "-i", "127.0.0.1", "-p", Integer.toString(port), "-P", Integer.toString(port), "-d", root.toString(),
          "-u", "nobody", "-w", "whitelist.txt"));
      daemon.awaitListening(port, Duration.ofSeconds(10));
      return new Opentracker(daemon, whitelist, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The HTTP announce URL. */
  String announceUrl() {
    return "http://127.0.0.1:" + port + "/announce";
  }

  /** Whitelists an infohash (40 hex digits) and makes the tracker reload its list. */
  void allow(String infohash) throws IOException, InterruptedException {
    Files.writeString(whitelist, infohash.toLowerCase() + "\n", StandardOpenOption.APPEND);
    daemon.signal("HUP");
    Thread.sleep(300);
  }

  String log() {
    return daemon.log();
  }

  @Override
  public void close() {
    daemon.close();
  }
}
