package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.bittorrent.metainfo.InfoHash;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMaker;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.ImagePaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The deterministic torrent of an artifact, and where it lives in an image. Name: the file name of the
 * artifact's path in the image; piece length: {@link io.github.pierdat.backend.bittorrent.metainfo.PieceLength};
 * trackers: as configured; web seeds (url-list): the artifact's http(s) sources.
 */
public final class TorrentFiles {

  /** Where the image keeps its torrent files. */
  public static final String DIRECTORY = ImagePaths.PIERDAT_HOME + "/torrents";

  private TorrentFiles() {}

  /** The path in the image of the torrent with this infohash: {@code /opt/pierdat/torrents/<hex>.torrent}. */
  public static String imagePath(InfoHash infoHash) {
    return DIRECTORY + "/" + infoHash.hex() + ".torrent";
  }

  /** The bencoded torrent of {@code artifact}, whose verified bytes are in {@code file}. */
  public static byte[] make(ArtifactEntry artifact, Path file, List<String> trackers) throws IOException {
    return maker(artifact, file, trackers).make();
  }

  /** The maker of {@link #make}, for a caller that has the piece hashes already. */
  static TorrentMaker maker(ArtifactEntry artifact, Path file, List<String> trackers) {
    return TorrentMaker.forFile(file)
        .name(ImagePaths.fileName(artifact.path()))
        .trackers(trackers)
        .webSeeds(webSeeds(artifact));
  }

  /** The artifact's http(s) sources, which BitTorrent clients can use as web seeds. */
  public static List<String> webSeeds(ArtifactEntry artifact) {
    return artifact.sources().stream()
        .filter(s -> {
          String lower = s.toLowerCase(Locale.ROOT);
          return lower.startsWith("http://") || lower.startsWith("https://");
        })
        .toList();
  }
}
