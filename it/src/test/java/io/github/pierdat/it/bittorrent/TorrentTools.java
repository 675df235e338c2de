package io.github.pierdat.it.bittorrent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The command-line torrent tools the ITs use as third parties: mktorrent to make, transmission-show to read. */
final class TorrentTools {

  private static final Pattern HASH = Pattern.compile("Hash: ([0-9a-f]{40})");

  private TorrentTools() {}

  /** Runs {@code command} (60 s at most) and returns its output; fails the test with that output otherwise. */
  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  /** The infohash of {@code torrent} as transmission-show, a third party, reads it. */
  static String infohash(Path torrent) throws IOException, InterruptedException {
    String out = run("transmission-show", torrent.toString());
    Matcher m = HASH.matcher(out);
    if (!m.find()) {
      throw new AssertionError("transmission-show names no infohash:\n" + out);
    }
    return m.group(1);
  }
}
