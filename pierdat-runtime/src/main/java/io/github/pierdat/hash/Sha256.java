package io.github.pierdat.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.function.LongConsumer;

/** SHA-256 as pierdat uses it: 64 hex digits, lowercase when stored or compared. */
public final class Sha256 {

  /** The number of hex digits in a sha256. */
  public static final int HEX_LENGTH = 64;

  private static final int BUFFER_SIZE = 1 << 20;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Sha256() {}

  /** True if {@code value} is 64 hex digits (either case). */
  public static boolean isValid(String value) {
    if (value == null || value.length() != HEX_LENGTH) {
      return false;
    }
    for (int i = 0; i < HEX_LENGTH; i++) {
      char c = value.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code value} in lowercase.
   *
   * @throws IllegalArgumentException if it is not 64 hex digits; the message shows the value
   */
  public static String normalize(String value) {
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a sha256: expected " + HEX_LENGTH + " hex digits (0-9, a-f)");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  /** The lowercase hex form of {@code bytes}. */
  public static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The lowercase hex sha256 of the contents of {@code file}, streamed in 1 MiB reads. */
  public static String of(Path file) throws IOException {
    MessageDigest digest = newDigest();
    update(digest, file, Long.MAX_VALUE, done -> {});
    return hex(digest.digest());
  }

  /**
   * Feeds the first {@code length} bytes of {@code file} (or all of it, if shorter) into {@code digest},
   * reporting the bytes hashed so far to {@code progress} after each read.
   *
   * @return the number of bytes hashed
   */
  public static long update(MessageDigest digest, Path file, long length, LongConsumer progress)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    long done = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (done < length) {
        buffer.clear();
        if (length - done < buffer.capacity()) {
          buffer.limit((int) (length - done));
        }
        int n = channel.read(buffer);
        if (n < 0) {
          break;
        }
        digest.update(buffer.array(), 0, n);
        done += n;
        progress.accept(done);
      }
    }
    return done;
  }
}
