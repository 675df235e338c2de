package io.github.pierdat.fetch;

import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.fs.Durability;
import io.github.pierdat.hash.Sha256;
import io.github.pierdat.manifest.PierDatCodec;
import io.github.pierdat.manifest.SeedEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A content-addressed store of verified artifacts, shared by every project that uses the same root.
 *
 * <pre>
 * root/sha256/&lt;hex&gt;          verified, complete, never modified (read-only)
 * root/partial/&lt;hex&gt;.part    bytes of an interrupted download of a known sha256 (resumable)
 * root/tmp/                   downloads whose sha256 is not known yet
 * root/locks/&lt;hex&gt;.lock      held while a process fetches that sha256
 * </pre>
 *
 * A file appears in {@code sha256/} only by an atomic rename after its bytes hashed to its name, so a file
 * there is trusted without hashing it again, unless it has other hard {@link #links links} (such as a DEST
 * placed by {@code pierdat get}) or is {@link #writable writable}: through a link it could have been made
 * writable and edited in place, so the fetcher hashes such a file before trusting it and {@link #evict evicts}
 * it when it no longer matches.
 */
public final class ArtifactCache {

  private final Path root;

  private ArtifactCache(Path root) {
    this.root = root;
  }

  /** The cache under {@code root}; directories are created when first needed. */
  public static ArtifactCache at(Path root) {
    return new ArtifactCache(Objects.requireNonNull(root, "root").toAbsolutePath().normalize());
  }

  /** The cache's root directory. */
  public Path root() {
    return root;
  }

  /**
   * The verified file with this sha256, if the cache has it. Costs one file lookup, no hashing.
   *
   * @throws IllegalArgumentException if {@code sha256} is not 64 hex digits
   */
  public Optional<Path> find(String sha256) {
    Path file = pathOf(sha256);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /**
   * How many hard links {@code file} has: more than 1 means a name outside the cache shares its bytes. 1 when
   * the file system does not count links.
   */
  public static int links(Path file) throws IOException {
    try {
      return ((Number) Files.getAttribute(file, "unix:nlink")).intValue();
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return 1;
    }
  }

  /**
   * Whether {@code file} has a write permission bit: a cache entry is committed read-only, so one that is
   * writable was made so (through a link, perhaps since removed) and may have been edited. False when the
   * file system has no POSIX permissions.
   */
  static boolean writable(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix == null) {
      return false;
    }
    Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
    return permissions.contains(PosixFilePermission.OWNER_WRITE)
        || permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE);
  }

  /**
   * Deletes the entry of {@code sha256} if it is still the file {@code fileKey} identifies (see {@link
   * java.nio.file.attribute.BasicFileAttributes#fileKey()}; null: whatever file is there), because its bytes no
   * longer hash to its name. The caller must hold the lock of {@code sha256}.
   *
   * @return true when a file was deleted
   */
  boolean evict(String sha256, Object fileKey) throws IOException {
    Path file = pathOf(sha256);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (fileKey != null && !fileKey.equals(attributes.fileKey())) {
      return false;
    }
    Files.delete(file);
    Durability.syncDirectory(file.getParent());
    return true;
  }

  /** Where the verified file with this sha256 lives (whether or not it is there yet). */
  public Path pathOf(String sha256) {
    return root.resolve("sha256").resolve(Sha256.normalize(sha256));
  }

  /** Where an interrupted download of this sha256 is kept for resuming. */
  Path partialFile(String sha256) throws IOException {
    return directory("partial").resolve(Sha256.normalize(sha256) + ".part");
  }

  /** A new, empty file for a download whose sha256 is not known. */
  Path newTempFile() throws IOException {
    return Files.createTempFile(directory("tmp"), "download-", ".part");
  }

  /**
   * Takes the lock for this sha256: first within this JVM (several Maven modules may fetch in parallel
   * threads), then across processes with a file lock. Logs to {@code log} when it has to wait.
   */
  CacheLock lock(String sha256, String artifactName, FetchLog log) throws IOException {
    // The real path, so that two roots reaching the same directory by a link share the in-JVM lock.
    Path lockFile = directory("locks").toRealPath().resolve(Sha256.normalize(sha256) + ".lock");
    return CacheLock.acquire(lockFile, artifactName, log);
  }

  /**
   * Moves {@code verified}, whose bytes hash to {@code sha256}, into the cache by an atomic rename and
   * makes it read-only. If the cache already has that sha256 (same bytes), {@code verified} is deleted
   * and the existing file is kept untouched. The caller must hold the lock of {@code sha256}.
   *
   * @return the file in the cache
   */
  Path commit(Path verified, String sha256) throws IOException {
    Path target = pathOf(sha256);
    Files.createDirectories(target.getParent());
    if (Files.isRegularFile(target)) {
      Files.deleteIfExists(verified);
      return target;
    }
    makeReadOnly(verified);
    try {
      Files.move(verified, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot move " + verified + " to " + target + " atomically (the cache "
          + root + " must be one file system): " + e.getMessage(), e);
    }
    Durability.syncDirectory(target.getParent());
    return target;
  }

  private Path directory(String name) throws IOException {
    return Files.createDirectories(root.resolve(name));
  }

  static void makeReadOnly(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix != null) {
      posix.setPermissions(PosixFilePermissions.fromString("r--r--r--"));
    } else {
      file.toFile().setWritable(false, false);
    }
  }

  @Override
  public String toString() {
    return "ArtifactCache[" + root + "]";
  }

  /** A seed spec remembered under {@code key} by {@link #rememberSeedSpec}, if any (unreadable = absent). */
  public Optional<SeedEntry> seedSpec(String key) {
    Path file = root.resolve("seeds").resolve(key + ".json");
    try {
      return Optional.of(PierDatCodec.seedEntry(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Remembers a seed spec, atomically (readers see the whole entry or none). */
  public void rememberSeedSpec(String key, SeedEntry seed) throws IOException {
    Path dir = Files.createDirectories(root.resolve("seeds"));
    Path temp = Files.createTempFile(dir, key, ".tmp");
    try {
      Files.writeString(temp, PierDatCodec.toJson(seed), StandardCharsets.UTF_8);
      Files.move(temp, dir.resolve(key + ".json"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
