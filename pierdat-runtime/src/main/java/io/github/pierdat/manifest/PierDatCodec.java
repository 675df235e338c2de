package io.github.pierdat.manifest;

import io.github.pierdat.fs.Durability;
import io.github.pierdat.json.Json;
import io.github.pierdat.json.JsonException;
import io.github.pierdat.json.JsonFields;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and writes pier.dat as stable, pretty-printed JSON. Reading checks every field and names the one
 * that is wrong (such as {@code artifacts[2].sha256}); fields it does not know are ignored, so a newer
 * writer may add some.
 */
public final class PierDatCodec {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private PierDatCodec() {}

  /** The JSON bytes of {@code pierDat}: the same model always gives the same bytes. */
  public static byte[] toBytes(PierDat pierDat) {
    return (Json.writePretty(tree(pierDat)) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Parses pier.dat, refusing versions other than {@link PierDat#CURRENT_VERSION}. */
  public static PierDat fromBytes(byte[] json, String origin) throws PierDatException {
    Object tree;
    try {
      tree = Json.parse(json);
    } catch (JsonException e) {
      throw new PierDatException(origin + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!(tree instanceof Map<?, ?> root)) {
      throw new PierDatException(origin + " is not a JSON object; expected a pier.dat written by pierdat");
    }
    Object version = root.get("version");
    if (!(version instanceof Long v) || v != (int) (long) v) {
      throw new PierDatException(origin + " has no numeric \"version\"; expected " + PierDat.CURRENT_VERSION);
    }
    if (v != PierDat.CURRENT_VERSION) {
      throw new PierDatException(
          origin + " has version " + v + ", but this agent reads version "
              + PierDat.CURRENT_VERSION + " only; use a pierdat agent at least as new as the one that built the image");
    }
    try {
      return pierDat(JsonFields.root(tree));
    } catch (JsonException e) {
      throw new PierDatException(origin + " is malformed: " + e.getMessage(), e);
    }
  }

  /** {@code seed} as one line of compact JSON, e.g. {@code {"backend":"http","params":{"path":"/a"}}}. */
  public static String toJson(SeedEntry seed) {
    return Json.write(tree(seed));
  }

  /**
   * A seed entry written by {@link #toJson(SeedEntry)}.
   *
   * @throws JsonException naming what is wrong
   */
  public static SeedEntry seedEntry(String json) {
    return seedEntry(JsonFields.root(Json.parse(json)));
  }

  // Member order is the file's layout since its first release (image digests depend on it): app's
  // members are alphabetical, the rest in declaration order; settings.advertise only when set.

  private static Map<String, Object> tree(PierDat pierDat) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", pierDat.version());
    AgentSettings s = pierDat.settings();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("httpPort", s.httpPort());
    settings.put("btPort", s.btPort());
    settings.put("bind", s.bind());
    if (s.advertise() != null) {
      settings.put("advertise", s.advertise());
    }
    settings.put("uploadLimit", s.uploadLimit());
    settings.put("peers", s.peers());
    settings.put("backends", s.backends());
    settings.put("trackers", s.trackers());
    settings.put("log", s.log());
    root.put("settings", settings);
    Map<String, Object> app = new LinkedHashMap<>();
    app.put("cmd", pierDat.app().cmd());
    app.put("entrypoint", pierDat.app().entrypoint());
    app.put("workingDir", pierDat.app().workingDir());
    root.put("app", app);
    List<Object> artifacts = new ArrayList<>();
    for (ArtifactEntry entry : pierDat.artifacts()) {
      Map<String, Object> artifact = new LinkedHashMap<>();
      artifact.put("name", entry.name());
      artifact.put("path", entry.path());
      artifact.put("size", entry.size());
      artifact.put("sha256", entry.sha256());
      artifact.put("sources", entry.sources());
      List<Object> seeds = new ArrayList<>();
      for (SeedEntry seed : entry.seeds()) {
        seeds.add(tree(seed));
      }
      artifact.put("seeds", seeds);
      artifacts.add(artifact);
    }
    root.put("artifacts", artifacts);
    return root;
  }

  private static Map<String, Object> tree(SeedEntry seed) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("backend", seed.backend());
    tree.put("params", seed.params());
    return tree;
  }

  private static PierDat pierDat(JsonFields root) {
    JsonFields s = root.optionalObject("settings");
    AgentSettings settings = s == null
        ? AgentSettings.defaults()
        : new AgentSettings(
            (int) s.optionalInteger("httpPort", 0, 65535, AgentSettings.DEFAULT_HTTP_PORT),
            (int) s.optionalInteger("btPort", 0, 65535, AgentSettings.DEFAULT_BT_PORT),
            s.optionalString("bind"),
            s.optionalString("advertise"),
            s.optionalInteger("uploadLimit", 0, Long.MAX_VALUE, 0),
            s.strings("peers"),
            s.strings("backends"),
            s.strings("trackers"),
            s.optionalString("log"));
    JsonFields a = root.optionalObject("app");
    AppCommand app = a == null
        ? AppCommand.none()
        : new AppCommand(a.strings("entrypoint"), a.strings("cmd"), a.optionalString("workingDir"));
    List<ArtifactEntry> artifacts = new ArrayList<>();
    for (JsonFields artifact : root.objects("artifacts")) {
      String sha256 = artifact.string("sha256");
      if (!SHA256.matcher(sha256).matches()) {
        throw artifact.invalid("sha256", "64 lowercase hex digits (a sha256)");
      }
      List<SeedEntry> seeds = new ArrayList<>();
      for (JsonFields seed : artifact.objects("seeds")) {
        seeds.add(seedEntry(seed));
      }
      artifacts.add(new ArtifactEntry(artifact.optionalString("name"), artifact.string("path"),
          artifact.integer("size", 0, Long.MAX_VALUE), sha256, artifact.strings("sources"), seeds));
    }
    return new PierDat(PierDat.CURRENT_VERSION, settings, app, artifacts);
  }

  private static SeedEntry seedEntry(JsonFields seed) {
    return new SeedEntry(seed.string("backend"), seed.stringMap("params"));
  }

  /** Reads pier.dat from a file. */
  public static PierDat read(Path file) throws PierDatException {
    try {
      return fromBytes(Files.readAllBytes(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new PierDatException(file + " does not exist; set PIERDAT_CONFIG to the pier.dat to use", e);
    } catch (IOException e) {
      throw new PierDatException("cannot read " + file + ": " + e, e);
    }
  }

  /**
   * Writes pier.dat atomically (temp file + rename; forced to disk only as {@link Durability} says, since a
   * forced write also waits for every other dirty byte of the file system, such as a GiB image tar written
   * just before), so readers never see half a file. The file is
   * readable by everyone (0644): the agent often runs as another user than the one that wrote it.
   */
  public static void write(PierDat pierDat, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, ".pier.dat", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(toBytes(pierDat));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        Durability.force(channel);
      }
      PosixFileAttributeView posix = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
      if (posix != null) {
        posix.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
