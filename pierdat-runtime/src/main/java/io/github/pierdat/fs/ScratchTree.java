package io.github.pierdat.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removal of scratch directories (temporary caches, a script's work space). */
public final class ScratchTree {

  private ScratchTree() {}

  /**
   * Deletes {@code root} and everything below it, best effort: a scratch tree left behind in the temp
   * directory costs disk, never correctness, so failures are ignored. Symbolic links are removed, not followed.
   */
  public static void deleteQuietly(Path root) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // Best effort, see above.
    }
  }
}
