package io.github.pierdat.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import io.github.pierdat.manifest.ImagePaths;
import io.github.pierdat.manifest.PierDat;
import io.github.pierdat.manifest.PierDatCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the layers pierdat adds to an image. The image assembler and the Jib plugin extension both use
 * it, so the same artifact gives a byte-identical layer either way.
 *
 * <p>Every entry is owned by root (0:0) and has the fixed modification time {@link #MODIFICATION_TIME};
 * files are 0444; directories follow {@link DirectoryPolicy}. A layer's bytes depend only on the entries'
 * image paths and file contents, never on the source files' paths or times.
 */
public final class PierdatLayers {

  /** Permissions of every file pierdat puts in an image. */
  public static final FilePermissions FILE_PERMISSIONS = FilePermissions.fromOctalString("444");
  /** Owner of every entry: root. */
  public static final String OWNERSHIP = "0:0";
  /** Modification time of every entry (Jib's default: one second after the epoch). */
  public static final Instant MODIFICATION_TIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;

  private final StagingArea staging;

  /** Layers whose generated files (pier.dat, the agent jar copy) are staged in {@code staging}. */
  public PierdatLayers(StagingArea staging) {
    this.staging = Objects.requireNonNull(staging, "staging");
  }

  /**
   * The layer of one artifact: its ancestor directories and the file at its declared path. The file must
   * sit at a content-addressed path (see {@link BakedArtifact#file()}).
   */
  public FileEntriesLayer artifactLayer(BakedArtifact artifact) throws IOException {
    return layer("pierdat artifact " + artifact.entry().name(), artifact.file(), artifact.entry().path());
  }

  /** The layer holding the agent jar at {@link ImagePaths#AGENT_JAR}, from a content-addressed copy. */
  public FileEntriesLayer agentLayer(Path agentJar) throws IOException {
    return agentLayer(agentJar, null);
  }

  /** As {@link #agentLayer(Path)}, with the jar's sha256 when known ({@code null}: hash the file). */
  public FileEntriesLayer agentLayer(Path agentJar, String sha256) throws IOException {
    Path staged = sha256 == null
        ? staging.stage(agentJar, "pierdat-agent.jar")
        : staging.stage(agentJar, sha256, "pierdat-agent.jar");
    return layer("pierdat agent", staged, ImagePaths.AGENT_JAR);
  }

  /** The layer holding pier.dat at {@link ImagePaths#PIER_DAT}, as {@link PierDatCodec#toBytes} writes it. */
  public FileEntriesLayer pierDatLayer(PierDat pierDat) throws IOException {
    Path staged = staging.stage(PierDatCodec.toBytes(pierDat), "pier.dat");
    return layer("pierdat pier.dat", staged, ImagePaths.PIER_DAT);
  }

  /**
   * The layer of the files backends need at run time besides the artifacts (e.g. each artifact's torrent
   * at {@code /opt/pierdat/torrents/<infohash>.torrent}), keyed by image path; entries sorted by path so
   * the layer does not depend on the order they were added in.
   */
  public FileEntriesLayer seedFilesLayer(Map<String, byte[]> files) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("pierdat seed files");
    Map<String, byte[]> sorted = new TreeMap<>(files);
    Set<String> directories = new HashSet<>();
    Path emptyDirectory = staging.emptyDirectory();
    for (String imagePath : sorted.keySet()) {
      for (DirectoryPolicy.Directory directory : DirectoryPolicy.ancestors(imagePath)) {
        if (directories.add(directory.path())) {
          layer.addEntry(new FileEntry(emptyDirectory, AbsoluteUnixPath.get(directory.path()),
              directory.permissions(), MODIFICATION_TIME, OWNERSHIP));
        }
      }
    }
    for (Map.Entry<String, byte[]> file : sorted.entrySet()) {
      String name = file.getKey().substring(file.getKey().lastIndexOf('/') + 1);
      Path staged = staging.stage(file.getValue(), name);
      layer.addEntry(new FileEntry(staged.toAbsolutePath(), AbsoluteUnixPath.get(file.getKey()),
          FILE_PERMISSIONS, MODIFICATION_TIME, OWNERSHIP));
    }
    return layer.build();
  }

  private FileEntriesLayer layer(String name, Path source, String imagePath) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    // Directory entries come first: Jib keeps the first entry of a path and would otherwise add its own.
    Path emptyDirectory = null;
    for (DirectoryPolicy.Directory directory : DirectoryPolicy.ancestors(imagePath)) {
      if (emptyDirectory == null) {
        emptyDirectory = staging.emptyDirectory();
      }
      layer.addEntry(new FileEntry(emptyDirectory, AbsoluteUnixPath.get(directory.path()),
          directory.permissions(), MODIFICATION_TIME, OWNERSHIP));
    }
    layer.addEntry(new FileEntry(source.toAbsolutePath(), AbsoluteUnixPath.get(imagePath),
        FILE_PERMISSIONS, MODIFICATION_TIME, OWNERSHIP));
    return layer.build();
  }
}
