package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.backend.UploadLimiter;
import io.github.pierdat.backend.bittorrent.engine.BtEngine;
import io.github.pierdat.backend.bittorrent.engine.UploadGate;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentFormatException;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMaker;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.manifest.AgentSettings;
import io.github.pierdat.peer.PeerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the agent's one {@link BitTorrentSeeder} from pier.dat: for each artifact the torrent the build
 * put in the image (its seed entry's {@code torrent} path), checked against the entry's {@code infohash};
 * the settings' port, bind address, advertised address, static and {@code dns:} peers; the trackers of
 * each torrent plus the settings' trackers; and the shared upload limit. An artifact whose torrent is
 * missing or does not match is logged and left out; the others are seeded.
 */
final class AgentTorrents {

  private static final Logger LOG = LoggerFactory.getLogger(AgentTorrents.class);

  private AgentTorrents() {}

  /** The seeder of {@code artifacts}, or empty when none of them can be seeded (each reason is logged). */
  static Optional<BitTorrentSeeder> seeder(List<SeededArtifact> artifacts, SeedContext context) {
    AgentSettings settings = context.settings();
    BitTorrentSeeder.Builder builder = BitTorrentSeeder.builder()
        .bind(address("bind", settings.bind()))
        .port(settings.btPort())
        .uploadGate(gate(context.uploadLimiter()))
        .metrics(context.metrics())
        .crashAfter(context.faults().crashAfter(BitTorrentBackend.NAME))
        // Not on demand: a libtorrent client (qBittorrent) whose first, encrypted connection waited in the
        // backlog while bt started failed it, and then backs off for minutes; see BitTorrentSeeder.Builder.
        .onDemand(false)
        // the build verified every file (sha256) and it is read-only; PIERDAT_VERIFY=full re-hashes it
        .trustFiles(true);
    if (settings.advertise() != null) {
      builder.advertise(address("advertise", host(settings.advertise())));
    }
    if (context.option(BitTorrentOptions.DHT).map(Boolean::parseBoolean).orElse(false)) {
      // The DHT node's UDP port has the TCP port's number, the one a container publishes for BitTorrent.
      builder.dht(new BtEngine.Dht(settings.btPort(), List.of()));
    }
    List<PeerAddress> peers = new ArrayList<>();
    for (String peer : settings.peers()) {
      try {
        peers.add(PeerAddress.parse(peer));
      } catch (IllegalArgumentException e) {
        LOG.error("ignoring BitTorrent peer '{}': {}", peer, e.getMessage());
      }
    }
    builder.peers(peers);
    int seeded = 0;
    for (SeededArtifact artifact : artifacts) {
      try {
        builder.seed(torrent(artifact, settings.trackers()), artifact.file(), artifact.artifact().name());
        seeded++;
      } catch (IOException | IllegalArgumentException e) {
        LOG.error("NOT SEEDING artifact {} over BitTorrent: {}", artifact.artifact().name(), e.getMessage());
      }
    }
    return seeded == 0 ? Optional.empty() : Optional.of(builder.build());
  }

  /**
   * The artifact's torrent with the extra trackers added to its announce list (which lies outside the
   * info dictionary, so the infohash stays). Read from the image; made again from the file (one hashing
   * pass) only when the image has none.
   */
  static byte[] torrent(SeededArtifact seeded, List<String> extraTrackers) throws IOException {
    String infohash = seeded.seed().param("infohash");
    if (infohash == null || infohash.isBlank()) {
      throw new IllegalArgumentException("its bittorrent seed entry has no 'infohash'; rebuild the image");
    }
    String path = seeded.seed().param("torrent");
    byte[] bytes;
    if (path != null && Files.isRegularFile(Path.of(path))) {
      bytes = Files.readAllBytes(Path.of(path));
    } else {
      LOG.warn("torrent file {} of artifact {} is missing; hashing {} to make it again", path,
          seeded.artifact().name(), seeded.file());
      bytes = TorrentFiles.make(seeded.artifact(), seeded.file(), List.of());
    }
    TorrentMetainfo meta;
    try {
      meta = TorrentMetainfo.parse(bytes);
    } catch (TorrentFormatException e) {
      throw new IllegalArgumentException("torrent file " + path + ": " + e.getMessage(), e);
    }
    if (!meta.infoHash().hex().equalsIgnoreCase(infohash.trim())) {
      throw new IllegalArgumentException("torrent " + (path == null ? "" : path + " ") + "has infohash "
          + meta.infoHash().hex() + ", but pier.dat records " + infohash + " for it; rebuild the image");
    }
    LinkedHashSet<String> trackers = new LinkedHashSet<>(meta.trackerUrls());
    int before = trackers.size();
    trackers.addAll(extraTrackers);
    if (trackers.size() == before || meta.multiFile() || meta.privateFlag()) {
      return bytes;
    }
    byte[] merged = TorrentMaker.forFile(seeded.file()).name(meta.name())
        .pieceHashes(meta.pieceLength(), meta.pieceHashes())
        .trackers(List.copyOf(trackers)).webSeeds(meta.webSeeds()).make();
    // Only torrents pierdat made re-encode to the same info dictionary; keep any other one as it is.
    return TorrentMetainfo.parse(merged).infoHash().equals(meta.infoHash()) ? merged : bytes;
  }

  /** The shared limiter as bt's upload hook. */
  static UploadGate gate(UploadLimiter limiter) {
    if (limiter.isUnlimited()) {
      return UploadGate.UNLIMITED;
    }
    return wanted -> {
      try {
        return (int) limiter.acquire(wanted);
      } catch (InterruptedException e) {
        // bt interrupts its workers when it stops; the block is then never sent anyway
        Thread.currentThread().interrupt();
        return wanted;
      }
    };
  }

  /** The host of {@code host}, {@code host:port} or {@code [v6]:port}. */
  static String host(String advertise) {
    String value = advertise.trim();
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      return close > 0 ? value.substring(1, close) : value;
    }
    int colon = value.indexOf(':');
    // one colon: host:port; several: a bare IPv6 address
    return colon > 0 && colon == value.lastIndexOf(':') ? value.substring(0, colon) : value;
  }

  private static InetAddress address(String setting, String value) {
    try {
      return InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("setting " + setting + " is '" + value
          + "', which does not resolve; expected an IP address or a resolvable host name", e);
    }
  }
}
