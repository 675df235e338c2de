package io.github.pierdat.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pierdat.testing.TestOrigin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

  private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void acceptsSixtyFourHexDigitsOfEitherCase() {
    assertTrue(Sha256.isValid(ABC));
    assertTrue(Sha256.isValid(ABC.toUpperCase()));
  }

  @Test
  void rejectsWrongLengthNonHexAndNull() {
    assertFalse(Sha256.isValid(null));
    assertFalse(Sha256.isValid(""));
    assertFalse(Sha256.isValid(ABC.substring(1)));
    assertFalse(Sha256.isValid(ABC + "0"));
    assertFalse(Sha256.isValid("g" + ABC.substring(1)));
    assertFalse(Sha256.isValid("\u0661" + ABC.substring(1)), "non-ASCII digits are not hex");
    assertFalse(Sha256.isValid(" " + ABC.substring(1)));
  }

  @Test
  void normalizesToLowercase() {
    assertEquals(ABC, Sha256.normalize(ABC.toUpperCase()));
  }

  @Test
  void normalizeRejectsMalformedValueShowingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sha256.normalize("abc123"));
    assertTrue(e.getMessage().contains("'abc123'"), e.getMessage());
    assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
  }

  @Test
  void hexIsLowercaseTwoDigitsPerByte() {
    assertEquals("00ff7f80", Sha256.hex(new byte[] {0, (byte) 0xff, 0x7f, (byte) 0x80}));
  }

  @Test
  void hashesKnownVector() throws Exception {
    assertEquals(ABC, Sha256.hex(Sha256.newDigest().digest("abc".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void hashesFileLargerThanItsBufferLikeTheBytesInMemory(@TempDir Path dir) throws Exception {
    byte[] bytes = TestOrigin.randomBytes(3 * 1024 * 1024 + 17, 1);
    Path file = dir.resolve("data");
    Files.write(file, bytes);
    String expected = Sha256.hex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertEquals(expected, Sha256.of(file));
  }

  @Test
  void hashesPrefixAndReportsProgress(@TempDir Path dir) throws Exception {
    byte[] bytes = TestOrigin.randomBytes(2 * 1024 * 1024 + 5, 2);
    Path file = dir.resolve("data");
    Files.write(file, bytes);
    MessageDigest digest = Sha256.newDigest();
    List<Long> reported = new ArrayList<>();
    long hashed = Sha256.update(digest, file, 1024 * 1024 + 3, reported::add);
    assertEquals(1024 * 1024 + 3, hashed);
    assertEquals(1024 * 1024 + 3, reported.get(reported.size() - 1));
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    expected.update(bytes, 0, 1024 * 1024 + 3);
    assertEquals(Sha256.hex(expected.digest()), Sha256.hex(digest.digest()));
  }
}
