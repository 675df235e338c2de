package io.github.pierdat.backend.bittorrent;

import io.github.pierdat.backend.bittorrent.metainfo.TorrentFormatException;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * A directory of the deterministic torrents a build made ({@code <infohash>.torrent}), so that a rebuild
 * from cached artifacts puts the torrent into the image without hashing the file again. A stored torrent
 * is used only while it still says what a new one would: the same infohash, trackers and web seeds.
 */
public final class TorrentStore {

  private final Path directory;
  private final BitTorrentBackend backend;

  /** A store in {@code directory} for torrents made by {@code backend} (and so with its trackers). */
  public TorrentStore(Path directory, BitTorrentBackend backend) {
    this.directory = directory;
    this.backend = backend;
  }

  /**
   * The torrent of {@code artifact}, whose verified bytes are in {@code file}, or empty when the artifact
   * has no BitTorrent seed entry. Stored torrents are reused; new ones are stored atomically.
   *
   * @throws IOException when the file cannot be read, or the torrent made does not have the infohash the
   *     seed entry records (the file changed under the build)
   */
  public Optional<byte[]> torrent(ArtifactEntry artifact, Path file) throws IOException {
    Optional<SeedEntry> seed = artifact.seed(BitTorrentBackend.NAME);
    if (seed.isEmpty() || seed.get().param("infohash") == null) {
      return Optional.empty();
    }
    String infohash = seed.get().param("infohash");
    Path stored = directory.resolve(infohash + ".torrent");
    Optional<byte[]> reused = reusable(stored, infohash, artifact);
    if (reused.isPresent()) {
      return reused;
    }
    byte[] made = backend.torrentBytes(artifact, file);
    String madeHash = TorrentMetainfo.parse(made).infoHash().hex();
    if (!madeHash.equals(infohash)) {
      throw new IOException("the torrent of artifact " + artifact.name() + " made from " + file + " has infohash "
          + madeHash + ", but its seed entry records " + infohash + "; delete the cached file and fetch again");
    }
    Files.createDirectories(directory);
    Path temp = Files.createTempFile(directory, infohash, ".tmp");
    try {
      Files.write(temp, made);
      Files.move(temp, stored, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return Optional.of(made);
  }

  private Optional<byte[]> reusable(Path stored, String infohash, ArtifactEntry artifact) {
    try {
      byte[] bytes = Files.readAllBytes(stored);
      TorrentMetainfo meta = TorrentMetainfo.parse(bytes);
      List<List<String>> tiers = backend.trackers().stream().map(List::of).toList();
      boolean same = meta.infoHash().hex().equals(infohash) && meta.trackers().equals(tiers)
          && meta.webSeeds().equals(TorrentFiles.webSeeds(artifact));
      return same ? Optional.of(bytes) : Optional.empty();
    } catch (IOException | TorrentFormatException e) {
      return Optional.empty();
    }
  }
}
