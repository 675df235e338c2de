package io.github.pierdat.cli;

import io.github.pierdat.fs.Durability;
import io.github.pierdat.hash.Sha256;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Puts a verified file at DEST without ever leaving half a file there. A file in a persistent cache becomes
 * DEST by a hard link when both are on one file system (DEST then shares the cache entry's read-only inode,
 * and the cache hashes an entry with other links before trusting it again); otherwise, or when asked to, its
 * bytes are copied by the kernel into a temporary file in DEST's directory (forced to disk with {@code
 * -Dpierdat.fsync=true}, see {@link Durability}). A file verified by an earlier run is hashed first (it may have
 * been damaged on disk since). Either way the new name is made read-only (0444) and renamed over DEST. A file
 * that is not needed afterwards (in a temporary cache) is instead renamed to DEST itself when it is on DEST's
 * file system. Until {@link #commit()} the previous DEST (if any) can be put back with {@link #rollBack()}, so
 * a later step that fails (writing pier.dat) leaves DEST as it was.
 */
final class Destination implements AutoCloseable {

  private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");

  private final Path dest;
  private Path backup;
  private boolean existed;
  private boolean placed;
  private boolean done;

  private Destination(Path dest) {
    this.dest = dest;
  }

  /**
   * Links or copies {@code verified} (a cache entry whose bytes must hash to {@code sha256}) to {@code dest},
   * creating its parent directories. {@code link}: make DEST a hard link to {@code verified} when the file
   * system allows it (else copy); false for a private copy. {@code hashCopy}: hash the bytes and compare, for a
   * file verified by an earlier run (a cache hit): {@code verified} itself before linking, the copy otherwise; a
   * file this process verified moments before is copied by the kernel from the page cache, and a second pass
   * would only read those same pages again.
   *
   * @throws IOException when DEST cannot be written or (with {@code hashCopy}) the bytes do not hash to
   *     {@code sha256} (the temporary name is removed and DEST is untouched)
   */
  static Destination place(Path verified, String sha256, Path dest, boolean hashCopy, boolean link)
      throws IOException {
    Destination destination = new Destination(dest);
    if (link) {
      if (hashCopy) {
        check(verified.toString(), Sha256.of(verified), sha256);
      }
      if (!destination.link(verified)) {
        // Copied from the pages just hashed (or verified by this process): a second hash would read them again.
        destination.copy(verified, sha256, false);
      }
    } else {
      destination.copy(verified, sha256, hashCopy);
    }
    return destination;
  }

  /**
   * Renames {@code verified} (durable, and whose bytes hash to {@code sha256}) to {@code dest}, creating its
   * parent directories; copies it like {@link #place} when it is on another file system.
   *
   * @throws IOException when it can be neither renamed nor copied (DEST is untouched)
   */
  static Destination move(Path verified, String sha256, Path dest, boolean hashCopy) throws IOException {
    Destination destination = new Destination(dest);
    Files.createDirectories(dest.getParent());
    if (!destination.install(verified)) {
      destination.copy(verified, sha256, hashCopy);
    }
    return destination;
  }

  /**
   * Installs a hard link to {@code verified} as DEST; false (nothing changed) when the file system cannot
   * link it there (another file system, no hard links, a file of another user under protected_hardlinks).
   */
  private boolean link(Path verified) throws IOException {
    Path parent = dest.getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, "." + dest.getFileName(), ".pierdat-tmp");
    Files.delete(temp);
    try {
      try {
        Files.createLink(temp, verified);
      } catch (FileSystemException | UnsupportedOperationException e) {
        return false;
      }
      if (!install(temp)) {
        throw new IOException("cannot rename " + temp + " to " + dest + " atomically");
      }
      return true;
    } finally {
      // Still there after the rename when DEST already was this very file (rename(2) then does nothing).
      Files.deleteIfExists(temp);
    }
  }

  private static void check(String what, String actual, String sha256) throws IOException {
    if (!actual.equals(sha256)) {
      throw new IOException(what + " hashes to " + actual + ", not " + sha256 + "; the disk or the cache is corrupt");
    }
  }

  private void copy(Path verified, String sha256, boolean hashCopy) throws IOException {
    Path parent = dest.getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, "." + dest.getFileName(), ".pierdat-tmp");
    try {
      // The kernel copies (sendfile between files); the copy is then hashed from the page cache, which
      // catches a corrupt cache or disk and costs less than hashing inside a copy loop through the heap.
      try (FileChannel in = FileChannel.open(verified, StandardOpenOption.READ);
          // Not TRUNCATE_EXISTING (the temp file is new and empty): on ext4, closing a file that was truncated
          // flushes it to disk at once.
          FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        long size = in.size();
        long position = 0;
        while (position < size) {
          long n = in.transferTo(position, size - position, out);
          if (n <= 0) {
            throw new IOException("the copy of " + verified + " stopped at byte " + position + " of " + size);
          }
          position += n;
        }
        Durability.force(out);
      }
      if (hashCopy) {
        check("the copy of " + verified, Sha256.of(temp), sha256);
      }
      if (!install(temp)) {
        throw new IOException("cannot rename " + temp + " to " + dest + " atomically");
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Makes {@code file} read-only and renames it over DEST, keeping the previous DEST for {@link #rollBack()};
   * false (nothing changed) when {@code file} is on another file system. For a hard link this sets the mode of
   * the cache entry it shares, which is read-only already: it is only changed when someone made it writable.
   */
  private boolean install(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix != null && !posix.readAttributes().permissions().equals(READ_ONLY)) {
      posix.setPermissions(READ_ONLY);
    }
    existed = Files.exists(dest, LinkOption.NOFOLLOW_LINKS);
    Path kept = existed ? keep(dest) : null;
    try {
      Files.move(file, dest, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      deleteQuietly(kept);
      return false;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(kept);
      throw e;
    }
    backup = kept;
    placed = true;
    Durability.syncDirectory(dest.getParent());
    return true;
  }

  /** A hard link to the current DEST, so it can be put back; null when the file system cannot link. */
  private static Path keep(Path dest) throws IOException {
    Path backup = Files.createTempFile(dest.getParent(), "." + dest.getFileName(), ".pierdat-old");
    Files.delete(backup);
    try {
      return Files.createLink(backup, dest);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Only a stray hard link to the old DEST is left.
      }
    }
  }

  /** Keeps the new DEST for good. */
  void commit() throws IOException {
    done = true;
    if (backup != null) {
      Files.deleteIfExists(backup);
    }
  }

  /**
   * Puts back what was at DEST before (or removes DEST if there was nothing).
   *
   * @return false when the previous DEST could not be restored (no hard link was possible)
   */
  boolean rollBack() throws IOException {
    done = true;
    if (!placed) {
      return true;
    }
    if (!existed) {
      Files.deleteIfExists(dest);
      return true;
    }
    if (backup == null) {
      return false;
    }
    Files.move(backup, dest, StandardCopyOption.ATOMIC_MOVE);
    // Left in place when DEST was already a link to the same file (rename(2) then does nothing).
    Files.deleteIfExists(backup);
    return true;
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      rollBack();
    }
  }
}
