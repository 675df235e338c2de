import io.github.pierdat.backend.bittorrent.TorrentFiles;
import io.github.pierdat.backend.bittorrent.metainfo.TorrentMetainfo;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.manifest.SeedEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * For bench/bt.sh: writes the torrent pierdat makes for every artifact of a pier.dat (what the Maven plugin
 * bakes into an image at /opt/pierdat/torrents/INFOHASH.torrent), with the given announce URL, which lies
 * outside the info dictionary. Checks each infohash against pier.dat's and prints "INFOHASH PATH" lines.
 *
 * <pre>java -cp pierdat-agent.jar bench/BtTorrents.java PIER_DAT OUT_DIR ANNOUNCE_URL</pre>
 */
public final class BtTorrents {
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: BtTorrents PIER_DAT OUT_DIR ANNOUNCE_URL");
      System.exit(2);
    }
    PierDat pierDat = PierDatCodec.read(Path.of(args[0]));
    Path out = Files.createDirectories(Path.of(args[1]));
    for (ArtifactEntry artifact : pierDat.artifacts()) {
      SeedEntry seed = artifact.seed("bittorrent")
          .orElseThrow(() -> new IllegalStateException(artifact.path() + " has no bittorrent seed entry"));
      byte[] torrent = TorrentFiles.make(artifact, Path.of(artifact.path()), List.of(args[2]));
      String infohash = TorrentMetainfo.parse(torrent).infoHash().hex();
      if (!infohash.equals(seed.param("infohash"))) {
        throw new IllegalStateException(artifact.path() + ": made infohash " + infohash + ", pier.dat records "
            + seed.param("infohash"));
      }
      Files.write(out.resolve(infohash + ".torrent"), torrent);
      System.out.println(infohash + " " + artifact.path());
    }
  }
}
