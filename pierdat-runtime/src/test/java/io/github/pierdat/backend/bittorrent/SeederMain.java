package io.github.pierdat.backend.bittorrent;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@link BitTorrentSeeder} in its own JVM, so tests can confine it (one CPU, no permission to write).
 * Arguments: torrent file, data file. Prints {@code SEEDING <port>} once it serves, and stops when its
 * standard input closes.
 */
public final class SeederMain {

  private SeederMain() {}

  public static void main(String[] args) throws Exception {
    byte[] torrent = Files.readAllBytes(Path.of(args[0]));
    try (BitTorrentSeeder seeder = BitTorrentSeeder.builder().bind(InetAddress.getLoopbackAddress()).port(0)
        .trackerInterval(Duration.ofSeconds(5)).seed(torrent, Path.of(args[1])).build()) {
      seeder.start();
      if (!seeder.awaitSeeding(Duration.ofSeconds(60))) {
        System.out.println("NOT SEEDING");
        System.exit(2);
      }
      System.out.println("SEEDING " + seeder.port());
      System.out.flush();
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
      System.out.println("UPLOADED " + seeder.uploaded().values().iterator().next() + " PROBLEMS " + seeder.problems());
    }
  }
}
