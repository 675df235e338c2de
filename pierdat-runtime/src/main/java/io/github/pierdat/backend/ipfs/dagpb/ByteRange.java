package io.github.pierdat.backend.ipfs.dagpb;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A range of a byte array, shared rather than copied: decoding a block hands out its fields this way, so a
 * leaf's file bytes go from the block to the file without a copy. Do not modify the array.
 *
 * @param array the array holding the bytes
 * @param offset where they start
 * @param length how many there are
 */
public record ByteRange(byte[] array, int offset, int length) {

  public ByteRange {
    Objects.requireNonNull(array, "array");
    Objects.checkFromIndexSize(offset, length, array.length);
  }

  /** The whole of {@code bytes}. */
  public static ByteRange of(byte[] bytes) {
    return new ByteRange(bytes, 0, bytes.length);
  }

  /** The bytes as a new array. */
  public byte[] toArray() {
    return Arrays.copyOfRange(array, offset, offset + length);
  }

  /** A read-only buffer over the range (no copy). */
  public ByteBuffer asBuffer() {
    return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteRange r && Arrays.equals(array, offset, offset + length, r.array, r.offset,
        r.offset + r.length);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + array[i];
    }
    return h;
  }

  @Override
  public String toString() {
    return "ByteRange[" + length + " bytes]";
  }
}
