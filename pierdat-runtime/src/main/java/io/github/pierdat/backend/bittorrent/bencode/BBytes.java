package io.github.pierdat.backend.bittorrent.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A bencoded byte string; {@link #utf8()} reads it as text. Immutable. */
public final class BBytes implements BValue, Comparable<BBytes> {

  private final byte[] bytes;

  private BBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static BBytes of(byte[] bytes) {
    return new BBytes(bytes.clone());
  }

  /** The UTF-8 bytes of {@code text}. */
  public static BBytes of(String text) {
    return new BBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  static BBytes wrap(byte[] bytes) {
    return new BBytes(bytes);
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** The bytes as UTF-8 text (malformed sequences become U+FFFD). */
  public String utf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  byte[] raw() {
    return bytes;
  }

  @Override
  public String typeName() {
    return "byte string";
  }

  /** Raw unsigned byte order, the order of dictionary keys. */
  @Override
  public int compareTo(BBytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BBytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return utf8();
  }
}
