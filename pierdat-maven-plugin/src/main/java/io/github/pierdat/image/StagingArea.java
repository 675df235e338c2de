package io.github.pierdat.image;

import com.google.common.hash.Hashing;
import com.google.common.hash.HashingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Objects;

/**
 * A directory of content-addressed files ({@code sha256/<hex>/<name>}) that layers are built from.
 *
 * <p>Jib's layer cache recognizes a layer by its source paths and their modification times, not by the
 * bytes. A file whose path names its sha256 and whose modification time is fixed can never be mistaken
 * for other bytes, and the same bytes staged again (even into a fresh directory) give the same cache key.
 */
public final class StagingArea {

  /** The modification time staged files get, so that restaging the same bytes keeps Jib's cache key. */
  static final FileTime FIXED_TIME = FileTime.from(Instant.EPOCH.plusSeconds(1));

  private final Path directory;

  /** A staging area in {@code directory}, created when first used. */
  public StagingArea(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
  }

  /** The directory that holds the staged files. */
  public Path directory() {
    return directory;
  }

  /** Stages {@code content} as a file named {@code fileName} and returns its content-addressed path. */
  public Path stage(byte[] content, String fileName) throws IOException {
    String hex = Hashing.sha256().hashBytes(content).toString();
    Path target = directory.resolve("sha256").resolve(hex).resolve(fileName);
    if (!isStaged(target, content.length)) {
      publish(target, temp -> Files.write(temp, content));
    }
    return target;
  }

  /** Stages a copy of {@code source} as a file named {@code fileName} and returns its content-addressed path. */
  public Path stage(Path source, String fileName) throws IOException {
    String hex;
    try (HashingInputStream in = new HashingInputStream(Hashing.sha256(), Files.newInputStream(source))) {
      in.transferTo(OutputStream.nullOutputStream());
      hex = in.hash().toString();
    }
    Path target = directory.resolve("sha256").resolve(hex).resolve(fileName);
    if (!isStaged(target, Files.size(source))) {
      publish(target, temp -> {
        try (InputStream in = Files.newInputStream(source)) {
          Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
      });
    }
    return target;
  }

  /**
   * Stages a copy of {@code source}, whose sha256 the caller already knows (e.g. it wrote the file and hashed
   * the bytes then), as a file named {@code fileName}, without reading it when it is staged already.
   */
  public Path stage(Path source, String sha256, String fileName) throws IOException {
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 \"" + sha256 + "\" is not 64 lowercase hex digits");
    }
    Path target = directory.resolve("sha256").resolve(sha256).resolve(fileName);
    if (!isStaged(target, Files.size(source))) {
      publish(target, temp -> Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING));
    }
    return target;
  }

  /** An empty directory with a fixed modification time, the source of directory entries in layers. */
  public Path emptyDirectory() throws IOException {
    Path empty = directory.resolve("empty-directory");
    Files.createDirectories(empty);
    try (var children = Files.list(empty)) {
      if (children.findAny().isPresent()) {
        throw new IOException(empty + " should be empty but is not; delete it and build again");
      }
    }
    if (!Files.getLastModifiedTime(empty).equals(FIXED_TIME)) {
      Files.setLastModifiedTime(empty, FIXED_TIME);
    }
    return empty;
  }

  private static boolean isStaged(Path target, long size) throws IOException {
    return Files.isRegularFile(target) && Files.size(target) == size
        && Files.getLastModifiedTime(target).equals(FIXED_TIME);
  }

  /** Writes through a temp file in the target's directory and renames it, so no half file is ever seen. */
  private static void publish(Path target, Writer writer) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), ".staging", ".tmp");
    try {
      writer.write(temp);
      Files.setLastModifiedTime(temp, FIXED_TIME);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @FunctionalInterface
  private interface Writer {
    void write(Path temp) throws IOException;
  }
}
