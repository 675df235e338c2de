package io.github.pierdat.backend.bittorrent.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/** A BitTorrent v1 infohash: the sha1 of a torrent's bencoded info dictionary. Immutable. */
public final class InfoHash {

  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private final byte[] bytes;

  private InfoHash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The infohash of these exact info-dictionary bytes. */
  public static InfoHash ofInfoDictionary(byte[] infoBytes) {
    try {
      return new InfoHash(MessageDigest.getInstance("SHA-1").digest(infoBytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }

  /** From 20 raw bytes. */
  public static InfoHash of(byte[] bytes) {
    if (bytes.length != 20) {
      throw new IllegalArgumentException("an infohash has 20 bytes, got " + bytes.length);
    }
    return new InfoHash(bytes.clone());
  }

  /**
   * Parses 40 hex digits or 32 base32 characters (RFC 4648, as magnet links use them).
   *
   * @throws IllegalArgumentException naming the value and the expected forms
   */
  public static InfoHash parse(String text) {
    if (text.length() == 40) {
      try {
        return new InfoHash(HexFormat.of().parseHex(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("infohash '" + text + "' is not 40 hex digits", e);
      }
    }
    if (text.length() == 32) {
      return new InfoHash(base32(text));
    }
    throw new IllegalArgumentException("infohash '" + text + "' has " + text.length()
        + " characters; expected 40 hex digits or 32 base32 characters");
  }

  private static byte[] base32(String text) {
    byte[] out = new byte[20];
    long buffer = 0;
    int bits = 0;
    int o = 0;
    for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
      int v = BASE32.indexOf(c);
      if (v < 0) {
        throw new IllegalArgumentException("infohash '" + text + "' is not base32: '" + c
            + "' is not one of A-Z, 2-7");
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[o++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }

  /** A copy of the 20 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** 40 lowercase hex digits. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InfoHash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
