package io.github.pierdat.agent;

import io.github.pierdat.agent.settings.VerifyMode;
import io.github.pierdat.manifest.ArtifactEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Checks that an artifact is in place before it is seeded: a regular file (not a symlink) at its path,
 * of the recorded size, and in {@link VerifyMode#FULL} with the recorded sha256. A failed check keeps the
 * artifact from being seeded; it never stops the app.
 */
final class ArtifactCheck {

  private final VerifyMode mode;
  private final BooleanSupplier cancelled;

  ArtifactCheck(VerifyMode mode, BooleanSupplier cancelled) {
    this.mode = mode;
    this.cancelled = cancelled;
  }

  /** Why {@code artifact} must not be seeded, or empty if it may. */
  Optional<String> problem(ArtifactEntry artifact) {
    Path file = Path.of(artifact.path());
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return Optional.of(file + " is missing or unreadable (" + e.getMessage() + ")");
    }
    if (!attributes.isRegularFile()) {
      return Optional.of(file + " is not a regular file" + (attributes.isSymbolicLink() ? " (a symlink)" : ""));
    }
    if (attributes.size() != artifact.size()) {
      return Optional.of(file + " has " + attributes.size() + " bytes but pier.dat records " + artifact.size()
          + (attributes.size() < artifact.size() ? " (truncated)" : ""));
    }
    if (mode == VerifyMode.FULL) {
      try {
        Optional<String> hashed = sha256(file, cancelled);
        if (hashed.isEmpty()) {
          return Optional.of("verification of " + file + " cancelled");
        }
        String actual = hashed.get();
        if (!actual.equals(artifact.sha256())) {
          return Optional.of(file + " has sha256 " + actual + " but pier.dat records " + artifact.sha256());
        }
      } catch (IOException e) {
        return Optional.of("cannot read " + file + " to verify it: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** The hex sha256 of {@code file}, or empty if {@code cancelled} turned true meanwhile. */
  static Optional<String> sha256(Path file, BooleanSupplier cancelled) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      while (channel.read(buffer) >= 0) {
        if (cancelled.getAsBoolean()) {
          return Optional.empty();
        }
        buffer.flip();
        digest.update(buffer);
        buffer.clear();
      }
    }
    return Optional.of(HexFormat.of().formatHex(digest.digest()));
  }
}
