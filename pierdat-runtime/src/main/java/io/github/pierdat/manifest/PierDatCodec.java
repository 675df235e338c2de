package io.github.pierdat.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
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

/** Reads and writes pier.dat as stable, pretty-printed JSON. */
public final class PierDatCodec {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private PierDatCodec() {}

  /** The JSON bytes of {@code pierDat}: the same model always gives the same bytes. */
  public static byte[] toBytes(PierDat pierDat) {
    try {
      return (MAPPER.writeValueAsString(pierDat) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize pier.dat", e);
    }
  }

  /** Parses pier.dat, refusing versions other than {@link PierDat#CURRENT_VERSION}. */
  public static PierDat fromBytes(byte[] json, String origin) throws PierDatException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new PierDatException(origin + " is not valid JSON: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new PierDatException(origin + " is not a JSON object; expected a pier.dat written by pierdat");
    }
    JsonNode version = tree.get("version");
    if (version == null || !version.canConvertToInt()) {
      throw new PierDatException(origin + " has no numeric \"version\"; expected " + PierDat.CURRENT_VERSION);
    }
    if (version.intValue() != PierDat.CURRENT_VERSION) {
      throw new PierDatException(
          origin + " has version " + version.asText() + ", but this agent reads version "
              + PierDat.CURRENT_VERSION + " only; use a pierdat agent at least as new as the one that built the image");
    }
    try {
      return MAPPER.treeToValue(tree, PierDat.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new PierDatException(origin + " is malformed: " + e.getMessage(), e);
    }
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
   * Writes pier.dat atomically (temp file + fsync + rename), so readers never see half a file. The file is
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
        channel.force(true);
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
