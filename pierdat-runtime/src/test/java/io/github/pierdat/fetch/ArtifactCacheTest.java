package io.github.pierdat.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.backend.FetchLog;
import io.github.pierdat.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCacheTest {

  private static final byte[] BYTES = "hello cache".getBytes(StandardCharsets.US_ASCII);
  private static final String SHA = Sha256.hex(Sha256.newDigest().digest(BYTES));

  @TempDir Path root;

  @Test
  void findsNothingInAnEmptyCache() {
    assertEquals(Optional.empty(), ArtifactCache.at(root).find(SHA));
  }

  @Test
  void commitRenamesVerifiedFileUnderItsSha256AndMakesItReadOnly() throws Exception {
    ArtifactCache cache = ArtifactCache.at(root);
    Path partial = cache.partialFile(SHA);
    Files.write(partial, BYTES);
    Path committed;
    try (CacheLock lock = cache.lock(SHA, "a", FetchLog.silent())) {
      committed = cache.commit(partial, SHA);
    }
    assertEquals(root.resolve("sha256").resolve(SHA), committed);
    assertEquals(Optional.of(committed), cache.find(SHA.toUpperCase()));
    assertFalse(Files.exists(partial));
    assertArrayEquals(BYTES, Files.readAllBytes(committed));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(committed)));
    assertTrue(Files.isRegularFile(root.resolve("locks").resolve(SHA + ".lock")));
    assertEquals(root.resolve("partial").resolve(SHA + ".part"), partial);
  }

  @Test
  void commitNeverReplacesAFileAlreadyInTheCache() throws Exception {
    ArtifactCache cache = ArtifactCache.at(root);
    Path first = cache.newTempFile();
    Files.write(first, BYTES);
    Path committed = cache.commit(first, SHA);
    long modified = Files.getLastModifiedTime(committed).toMillis();
    Path second = cache.newTempFile();
    Files.write(second, BYTES);
    assertEquals(committed, cache.commit(second, SHA));
    assertFalse(Files.exists(second));
    assertEquals(modified, Files.getLastModifiedTime(committed).toMillis());
    assertTrue(second.startsWith(root.resolve("tmp")));
  }

  @Test
  void linksCountsTheHardLinksOfAnEntry() throws Exception {
    ArtifactCache cache = ArtifactCache.at(root);
    Path temp = cache.newTempFile();
    Files.write(temp, BYTES);
    Path committed = cache.commit(temp, SHA);
    assertEquals(1, ArtifactCache.links(committed));

    Files.createLink(root.resolve("dest.bin"), committed);

    assertEquals(2, ArtifactCache.links(committed));
  }

  @Test
  void evictDeletesTheEntryOnlyWhileItIsTheFileThatWasChecked() throws Exception {
    ArtifactCache cache = ArtifactCache.at(root);
    Path temp = cache.newTempFile();
    Files.write(temp, BYTES);
    Path committed = cache.commit(temp, SHA);
    Object checked = Files.readAttributes(committed, BasicFileAttributes.class).fileKey();
    Object other = Files.readAttributes(root, BasicFileAttributes.class).fileKey();

    try (CacheLock lock = cache.lock(SHA, "a", FetchLog.silent())) {
      assertFalse(cache.evict(SHA, other), "another file (e.g. a fresh download) stays");
      assertTrue(Files.exists(committed));
      assertTrue(cache.evict(SHA, checked));
      assertFalse(cache.evict(SHA, checked), "nothing left to evict");
    }
    assertEquals(Optional.empty(), cache.find(SHA));
  }

  @Test
  void rejectsMalformedSha256() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ArtifactCache.at(root).find("../../etc/passwd"));
    assertTrue(e.getMessage().contains("'../../etc/passwd'"), e.getMessage());
  }

  @Test
  void rootIsAbsolute() {
    assertTrue(ArtifactCache.at(Path.of("relative")).root().isAbsolute());
  }
}
