package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.Backend;
import io.github.pierdat.backend.FetchContext;
import io.github.pierdat.backend.FetchException;
import io.github.pierdat.backend.FetchTarget;
import io.github.pierdat.backend.RandomAccessTarget;
import io.github.pierdat.backend.SeedSpecHasher;
import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeededArtifact;
import io.github.pierdat.backend.Seeder;
import io.github.pierdat.backend.bittorrent.metainfo.MagnetLink;
import io.github.pierdat.backend.bittorrent.metainfo.PieceLength;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import io.github.pierdat.manifest.Sources;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Fetches artifacts from a BitTorrent swarm (bt-core) and describes how to seed them.
 *
 * <p>Sources it accepts:
 * <ul>
 *   <li>{@code magnet:?xt=urn:btih:<hex40|base32>} with optional {@code tr=}, {@code x.pe=}, {@code dn=};
 *   <li>{@code torrent+file:/path/x.torrent}, {@code torrent+http://host/x.torrent},
 *       {@code torrent+https://...}: a .torrent file that is read first. A plain {@code http(s)://.../x.torrent}
 *       is <em>not</em> taken: it belongs to the HTTP backend, which downloads the .torrent file itself as
 *       the artifact, so the {@code torrent+} prefix says explicitly that the swarm is meant.
 * </ul>
 * Fetching uses no local service discovery and, unless option {@value BitTorrentOptions#DHT} turns it on, no
 * DHT: peers come from the source's trackers, its {@code x.pe} peers and the {@link BitTorrentOptions} of the
 * fetch. A source that delivers no new byte for
 * the stall timeout fails, naming the trackers and peers tried, so the fetcher moves on to the next source.
 * When a single-file torrent's swarm fails midway, the artifact's http(s) sources and the torrent's web seeds
 * complete it, keeping the verified pieces ({@link WebSeedFill}).
 *
 * <p>A torrent with several files is taken when the source names the file the artifact is, with the URI
 * fragment {@code #file=<path>} (on any of the sources above; the path is '/'-separated below the torrent's
 * directory, percent-encoded where a URI needs it, e.g. {@code magnet:?xt=urn:btih:...#file=dir/model.bin}
 * or {@code torrent+https://host/set.torrent#file=model.bin}) or, on a magnet link, with BEP 53
 * {@code so=<index>} (one 0-based file index; pierdat takes one file per artifact, so a list or range is an
 * error). Only the pieces overlapping that file are downloaded; the neighbours' share of its edge pieces is
 * kept in a scratch file in the staging directory and deleted afterwards. A multi-file swarm that fails is
 * not completed from HTTP origins: the source fails and the fetcher tries the artifact's next source. A
 * multi-file torrent whose source names no file (or a file it lacks) fails, listing the torrent's files.
 *
 * <p>For every artifact, {@link #seedSpec} makes the deterministic torrent ({@link TorrentFiles}) and
 * records {@code infohash}, {@code magnet}, {@code torrent} (its path in the image) and {@code pieceLength}.
 * At run time {@link #seeder} seeds every artifact from one bt-core runtime (see {@link AgentTorrents}).
 */
public final class BitTorrentBackend implements Backend {

  /** The backend's name in pier.dat and logs. */
  public static final String NAME = "bittorrent";

  private final List<String> trackers;
  private final Map<String, byte[]> torrents = new ConcurrentHashMap<>();

  /** For {@link java.util.ServiceLoader}: no trackers (torrents then rely on static peers). */
  public BitTorrentBackend() {
    this(List.of());
  }

  /** A backend whose torrents and magnet links announce to {@code trackers}. */
  public BitTorrentBackend(List<String> trackers) {
    this.trackers = List.copyOf(trackers);
  }

  /** This backend with other trackers (e.g. the build's configured ones). */
  public BitTorrentBackend withTrackers(List<String> urls) {
    return new BitTorrentBackend(urls);
  }

  /** The trackers the torrents it makes announce to. */
  public List<String> trackers() {
    return trackers;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> schemes() {
    return Set.of("magnet", "torrent+file", "torrent+http", "torrent+https");
  }

  @Override
  public boolean accepts(URI source) {
    String scheme = source.getScheme();
    if (scheme == null) {
      return false;
    }
    String s = scheme.toLowerCase(Locale.ROOT);
    if (s.equals("magnet")) {
      String query = source.getRawSchemeSpecificPart();
      return query != null && query.toLowerCase(Locale.ROOT).contains("xt=urn:btih:");
    }
    return schemes().contains(s);
  }

  @Override
  public void fetch(URI source, FetchTarget target, FetchContext context) throws FetchException, IOException {
    if (context.offline()) {
      throw new FetchException("offline: BitTorrent source " + source + " needs the network");
    }
    BitTorrentOptions options = new BitTorrentOptions(context);
    TorrentSource torrent;
    try {
      torrent = TorrentSource.resolve(source, context, options);
    } catch (IllegalArgumentException e) {
      throw new FetchException(e.getMessage(), e);
    }
    boolean dht;
    try {
      dht = options.dht() != null;
    } catch (IllegalArgumentException e) {
      throw new FetchException(e.getMessage(), e);
    }
    if (torrent.trackers().isEmpty() && torrent.peers().isEmpty() && !dht) {
      throw new FetchException("BitTorrent source " + torrent.describe() + " names no tracker (tr=) and no peer"
          + " (x.pe=), and option " + BitTorrentOptions.PEERS + " is not set: there is nobody to ask"
          + " (DHT is off; " + BitTorrentOptions.DHT + "=true turns it on)");
    }
    if (torrent.metainfo() != null) {
      target.expectSize(torrent.metainfo().files().get(torrent.selectedFile()).length());
    }
    Optional<RandomAccessTarget> direct = target.randomAccess();
    try {
      fetchInto(direct, torrent, target, context, options);
    } catch (FetchException | IOException | RuntimeException e) {
      // The torrent's piece hashes were not proven to describe what the next source will deliver.
      TorrentSeedHasher.revoke(target);
      throw e;
    }
  }

  private static void fetchInto(Optional<RandomAccessTarget> direct, TorrentSource torrent, FetchTarget target,
      FetchContext context, BitTorrentOptions options) throws FetchException, IOException {
    try {
      if (direct.isPresent()) {
        try (FencedTarget fenced = new FencedTarget(direct.get())) {
          download(torrent, fenced, target, context, options);
        } catch (FetchException | IOException | RuntimeException e) {
          // Pieces land anywhere in the file; what is left is not a prefix another source could resume.
          target.reset();
          throw e;
        }
      } else {
        try (StagingFile staging = new StagingFile(options.stagingDir())) {
          download(torrent, staging, target, context, options);
          if (target.position() > 0) {
            target.reset();
          }
          staging.copyTo(target);
        }
      }
    } catch (IllegalArgumentException e) {
      throw new FetchException(e.getMessage(), e);
    }
  }

  /**
   * Downloads from the swarm; when it fails with the torrent's pieces known and HTTP origins at hand (web
   * seeds of the torrent or magnet, the artifact's other http(s) sources), completes from the origins
   * keeping every verified piece.
   */
  private static void download(TorrentSource torrent, RandomAccessTarget file, FetchTarget target,
      FetchContext context, BitTorrentOptions options) throws FetchException, IOException {
    SwarmDownload swarm = new SwarmDownload(torrent, file, context.log(), options);
    long started = System.nanoTime();
    try {
      SwarmDownload.Result result = swarm.run(target::expectSize, pieces -> {
        if (TorrentSeedHasher.handOver(target, pieces)) {
          context.log().debug("bittorrent " + torrent.describe() + ": the torrent's pieces are the ones pierdat"
              + " would choose; its piece hashes go into the artifact's torrent (no SHA-1 pass)");
        }
      });
      context.log().info("bittorrent " + torrent.describe() + ": " + result.size() + " bytes in "
          + result.elapsed().toMillis() + " ms from " + describePeers(result.bytesByPeer())
          + describeCorrupt(result.corruptPiecesByPeer(), result.banned()));
      return;
    } catch (FetchException e) {
      List<URI> own = options.webSeeds().stream().map(URI::create).toList();
      java.util.LinkedHashSet<URI> origins = new java.util.LinkedHashSet<>(own);
      torrent.webSeeds().forEach(w -> origins.add(URI.create(w)));
      if (swarm.multiFile() && !origins.isEmpty()) {
        context.log().info("bittorrent " + torrent.describe() + ": " + e.getMessage() + "; not completing from"
            + " HTTP origins, which fill single-file torrents only: the fetcher tries the artifact's next source");
      }
      if (swarm.pieces().isEmpty() || origins.isEmpty()) {
        throw e;
      }
      context.log().info("bittorrent " + torrent.describe() + ": " + e.getMessage()
          + "; completing from " + origins.size() + " HTTP origin(s), keeping the verified pieces");
      WebSeedFill.Result fill = new WebSeedFill(swarm.pieces().get(), file, context)
          .fill(List.copyOf(origins), java.util.Set.copyOf(own));
      context.log().info("bittorrent " + torrent.describe() + ": " + swarm.pieces().get().size() + " bytes in "
          + java.time.Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms; " + fill.keptPieces()
          + " piece(s) from " + (swarm.bytesByPeer().isEmpty() ? "no peer" : describePeers(swarm.bytesByPeer()))
          + "; " + fill.filledPieces()
          + " piece(s) from " + fill.bytesByOrigin().entrySet().stream()
              .map(o -> o.getKey() + " (" + o.getValue() + " bytes)").collect(Collectors.joining(", "))
          + describeCorrupt(swarm.corruptPiecesByPeer(), swarm.banned()));
    }
  }

  private static String describePeers(Map<String, Long> bytesByPeer) {
    if (bytesByPeer.isEmpty()) {
      return "no peer (all pieces were already present)";
    }
    return bytesByPeer.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + " bytes)")
        .collect(Collectors.joining(", "));
  }

  /** E.g. {@code "; corrupt pieces from 127.0.0.1:6881 (2, banned)"}, or nothing when every piece was sound. */
  static String describeCorrupt(Map<String, Integer> corruptPiecesByPeer, Set<String> banned) {
    if (corruptPiecesByPeer.isEmpty()) {
      return "";
    }
    return "; corrupt pieces from " + corruptPiecesByPeer.entrySet().stream()
        .map(e -> e.getKey() + " (" + e.getValue() + (banned.contains(e.getKey()) ? ", banned)" : ")"))
        .collect(Collectors.joining(", "));
  }

  @Override
  public String seedSpecKey() {
    // The announce list goes into the torrent and the magnet link.
    return String.join(",", trackers());
  }

  @Override
  public Optional<SeedEntry> seedSpec(ArtifactEntry artifact, Path file) throws IOException {
    byte[] bytes = torrentBytes(artifact, file);
    TorrentMetainfo meta = TorrentMetainfo.parse(bytes);
    MagnetLink magnet = MagnetLink.of(meta.infoHash()).withDisplayName(meta.name())
        .withExactLength(meta.totalLength()).withTrackers(trackers);
    return Optional.of(new SeedEntry(NAME, Map.of(
        "infohash", meta.infoHash().hex(),
        "magnet", magnet.toString(),
        "torrent", TorrentFiles.imagePath(meta.infoHash()),
        "pieceLength", Long.toString(meta.pieceLength()))));
  }

  /**
   * Hashes the pieces while the artifact is fetched (or takes them from the torrent it is fetched by, see
   * {@link TorrentSeedHasher}); the torrent is then made without reading the file.
   */
  @Override
  public Optional<SeedSpecHasher> seedSpecHasher(long size) {
    long pieceLength = PieceLength.forSize(size);
    return Optional.of(new TorrentSeedHasher(pieceLength, size, (artifact, file, hashes) -> {
      byte[] torrent = TorrentFiles.maker(artifact, file, trackers).pieceHashes(pieceLength, hashes).make();
      torrents.put(torrentKey(artifact), torrent);
      return seedSpec(artifact, file);
    }));
  }

  @Override
  public Optional<Seeder> seeder(List<SeededArtifact> artifacts, SeedContext context) {
    return AgentTorrents.seeder(artifacts, context).map(Seeder.class::cast);
  }

  /**
   * The deterministic torrent of {@code artifact} with this backend's trackers: what the image assembler
   * writes to the {@code torrent} path of the seed entry. Remembered per artifact, so calling it after
   * {@link #seedSpec} does not hash the file again.
   */
  public byte[] torrentBytes(ArtifactEntry artifact, Path file) throws IOException {
    String key = torrentKey(artifact);
    byte[] cached = torrents.get(key);
    if (cached == null) {
      cached = TorrentFiles.make(artifact, file, trackers);
      torrents.put(key, cached);
    }
    return cached.clone();
  }

  private static String torrentKey(ArtifactEntry artifact) {
    return artifact.sha256() + "/" + artifact.size() + "/" + artifact.path() + "/" + artifact.sources();
  }
}
