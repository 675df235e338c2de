package io.github.pierdat.backend.ipfs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Deterministic pseudo-random test files and sha256 helpers. */
final class TestFiles {

  private TestFiles() {}

  /** A file of {@code size} pseudo-random bytes from {@code seed}. */
  static Path random(Path dir, String name, long size, long seed) throws IOException {
    Path file = dir.resolve(name);
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        for (int i = 0; i < buf.length; i += 8) {
          long v = random.nextLong();
          for (int j = 0; j < 8; j++) {
            buf[i + j] = (byte) (v >>> (8 * j));
          }
        }
        int n = (int) Math.min(left, buf.length);
        out.write(buf, 0, n);
        left -= n;
      }
    }
    return file;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static String sha256(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
