package io.github.pierdat.it.bittorrent;

import io.github.pierdat.it.fixture.BuildResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a build's log says a swarm download got from each peer: the BitTorrent backend's summary line
 * {@code bittorrent <infohash> (<name>): <size> bytes in <ms> ms from <peer> (<n> bytes), <peer> (<n> bytes)}, where a
 * peer is {@code host:port} (its listening port) or {@code incoming host:port} (a peer that connected to the builder,
 * by the connection's remote port).
 */
final class SwarmFetchLog {

  private static final Pattern PEER = Pattern.compile("((?:incoming )?\\S+) \\((\\d+) bytes\\)");

  private SwarmFetchLog() {}

  /**
   * Bytes received per peer ({@code host:port}) for the download of {@code infohash}, in log order; fails
   * unless the build logged exactly one complete swarm download of {@code size} bytes.
   */
  static Map<String, Long> bytesByPeer(BuildResult build, String infohash, long size) {
    String prefix = "bittorrent " + infohash + " (model.bin): " + size + " bytes in ";
    List<String> lines = build.linesContaining(prefix);
    if (lines.size() != 1) {
      throw new AssertionError("expected one line '" + prefix + "...' in the build log, found " + lines.size()
          + ":\n" + build.tail(60));
    }
    String line = lines.get(0);
    int from = line.indexOf(" ms from ");
    if (from < 0) {
      throw new AssertionError("no ' ms from ' in: " + line);
    }
    Map<String, Long> peers = new LinkedHashMap<>();
    Matcher m = PEER.matcher(line.substring(from + " ms from ".length()));
    while (m.find()) {
      peers.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return peers;
  }
}
