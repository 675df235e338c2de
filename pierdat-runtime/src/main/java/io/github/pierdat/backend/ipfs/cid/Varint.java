package io.github.pierdat.backend.ipfs.cid;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 varints as multiformats and protobuf use them: 7 bits per byte, least significant first.
 * Multiformats limit them to 9 bytes (63 bits) and require the shortest encoding; {@link #read} enforces both.
 */
public final class Varint {

  /** The longest varint multiformats allow. */
  public static final int MAX_BYTES = 9;

  private Varint() {}

  /** The number of bytes {@code value} takes. */
  public static int size(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  /** Writes {@code value} into {@code out} at {@code offset}; returns the offset after it. */
  public static int write(long value, byte[] out, int offset) {
    while ((value & ~0x7FL) != 0) {
      out[offset++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[offset++] = (byte) value;
    return offset;
  }

  /** {@code value} as its own byte array. */
  public static byte[] encode(long value) {
    byte[] out = new byte[size(value)];
    write(value, out, 0);
    return out;
  }

  /**
   * Reads one varint from {@code buf}.
   *
   * @throws IllegalArgumentException when it is truncated, longer than 9 bytes or not minimally encoded
   */
  public static long read(ByteBuffer buf) {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (!buf.hasRemaining()) {
        throw new IllegalArgumentException("truncated varint");
      }
      int b = buf.get() & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("varint is not minimally encoded");
        }
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
  }

  /**
   * Reads one varint from {@code in}, or returns -1 when the stream ends before its first byte.
   *
   * @throws EOFException when the stream ends inside the varint
   * @throws IOException when it is longer than 9 bytes or not minimally encoded
   */
  public static long readOrEof(InputStream in) throws IOException {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          return -1;
        }
        throw new EOFException("stream ended inside a varint");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IOException("varint is not minimally encoded");
        }
        return value;
      }
    }
    throw new IOException("varint longer than " + MAX_BYTES + " bytes");
  }
}
