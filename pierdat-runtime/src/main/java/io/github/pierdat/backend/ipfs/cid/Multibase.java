package io.github.pierdat.backend.ipfs.cid;

import java.io.ByteArrayOutputStream;

/**
 * The multibase encodings CIDs are written in: a one-character prefix names the base. Supported:
 * {@code b}/{@code B} base32 (RFC 4648, no padding), {@code z} base58btc, {@code k}/{@code K} base36 and
 * {@code f}/{@code F} base16.
 */
public enum Multibase {
  /** Lowercase base32, the default for CIDv1. */
  BASE32('b'),
  BASE32_UPPER('B'),
  /** Bitcoin's base58 alphabet; CIDv0 is written in it without a prefix. */
  BASE58BTC('z'),
  /** Lowercase base36, common for IPNS keys and subdomain gateways. */
  BASE36('k'),
  BASE36_UPPER('K'),
  BASE16('f'),
  BASE16_UPPER('F');

  private static final String BASE58_ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final String BASE36_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final String BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final String BASE16_ALPHABET = "0123456789abcdef";

  private final char prefix;

  Multibase(char prefix) {
    this.prefix = prefix;
  }

  /** The multibase prefix character. */
  public char prefix() {
    return prefix;
  }

  /** The base whose prefix is {@code c}, or null. */
  public static Multibase forPrefix(char c) {
    for (Multibase base : values()) {
      if (base.prefix == c) {
        return base;
      }
    }
    return null;
  }

  /** {@code bytes} in this base, with the prefix. */
  public String encode(byte[] bytes) {
    return prefix + encodeBare(bytes);
  }

  /** {@code bytes} in this base, without the prefix. */
  public String encodeBare(byte[] bytes) {
    return switch (this) {
      case BASE32 -> base32(bytes);
      case BASE32_UPPER -> base32(bytes).toUpperCase(java.util.Locale.ROOT);
      case BASE58BTC -> baseN(bytes, BASE58_ALPHABET);
      case BASE36 -> baseN(bytes, BASE36_ALPHABET);
      case BASE36_UPPER -> baseN(bytes, BASE36_ALPHABET).toUpperCase(java.util.Locale.ROOT);
      case BASE16 -> base16(bytes);
      case BASE16_UPPER -> base16(bytes).toUpperCase(java.util.Locale.ROOT);
    };
  }

  /**
   * Decodes {@code text} (without the prefix).
   *
   * @throws IllegalArgumentException naming the first character that is not in the alphabet
   */
  public byte[] decodeBare(String text) {
    return switch (this) {
      case BASE32, BASE32_UPPER -> unbase32(text.toLowerCase(java.util.Locale.ROOT));
      case BASE58BTC -> unbaseN(text, BASE58_ALPHABET, "base58btc");
      case BASE36, BASE36_UPPER -> unbaseN(text.toLowerCase(java.util.Locale.ROOT), BASE36_ALPHABET, "base36");
      case BASE16, BASE16_UPPER -> unbase16(text.toLowerCase(java.util.Locale.ROOT));
    };
  }

  private static String base32(byte[] bytes) {
    StringBuilder sb = new StringBuilder((bytes.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32_ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }

  private static byte[] unbase32(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 5 / 8);
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < text.length(); i++) {
      int v = BASE32_ALPHABET.indexOf(text.charAt(i));
      if (v < 0) {
        throw badChar(text, i, "base32");
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >>> (bits - 8)) & 0xFF);
        bits -= 8;
      }
    }
    // Leftover bits must be zero padding of the last character, as RFC 4648 produces them.
    if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("base32 text has a dangling final character");
    }
    return out.toByteArray();
  }

  private static String base16(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(BASE16_ALPHABET.charAt((b >> 4) & 15)).append(BASE16_ALPHABET.charAt(b & 15));
    }
    return sb.toString();
  }

  private static byte[] unbase16(String text) {
    if (text.length() % 2 != 0) {
      throw new IllegalArgumentException("base16 text has an odd number of characters");
    }
    byte[] out = new byte[text.length() / 2];
    for (int i = 0; i < text.length(); i++) {
      int v = BASE16_ALPHABET.indexOf(text.charAt(i));
      if (v < 0) {
        throw badChar(text, i, "base16");
      }
      out[i / 2] |= (byte) (i % 2 == 0 ? v << 4 : v);
    }
    return out;
  }

  /** Big-number base conversion; leading zero bytes become leading zero digits, as base58btc defines. */
  private static String baseN(byte[] bytes, String alphabet) {
    int base = alphabet.length();
    int zeros = 0;
    while (zeros < bytes.length && bytes[zeros] == 0) {
      zeros++;
    }
    byte[] digits = new byte[bytes.length * 2 + 1];
    int length = 0;
    for (int i = zeros; i < bytes.length; i++) {
      int carry = bytes[i] & 0xFF;
      for (int j = 0; j < length; j++) {
        carry += (digits[j] & 0xFF) << 8;
        digits[j] = (byte) (carry % base);
        carry /= base;
      }
      while (carry > 0) {
        digits[length++] = (byte) (carry % base);
        carry /= base;
      }
    }
    StringBuilder sb = new StringBuilder(zeros + length);
    for (int i = 0; i < zeros; i++) {
      sb.append(alphabet.charAt(0));
    }
    for (int i = length - 1; i >= 0; i--) {
      sb.append(alphabet.charAt(digits[i]));
    }
    return sb.toString();
  }

  private static byte[] unbaseN(String text, String alphabet, String name) {
    int base = alphabet.length();
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == alphabet.charAt(0)) {
      zeros++;
    }
    byte[] bytes = new byte[text.length()];
    int length = 0;
    for (int i = zeros; i < text.length(); i++) {
      int carry = alphabet.indexOf(text.charAt(i));
      if (carry < 0) {
        throw badChar(text, i, name);
      }
      for (int j = 0; j < length; j++) {
        carry += (bytes[j] & 0xFF) * base;
        bytes[j] = (byte) carry;
        carry >>>= 8;
      }
      while (carry > 0) {
        bytes[length++] = (byte) carry;
        carry >>>= 8;
      }
    }
    byte[] out = new byte[zeros + length];
    for (int i = 0; i < length; i++) {
      out[zeros + i] = bytes[length - 1 - i];
    }
    return out;
  }

  private static IllegalArgumentException badChar(String text, int index, String base) {
    return new IllegalArgumentException(
        "character '" + text.charAt(index) + "' at position " + index + " is not in the " + base + " alphabet");
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
