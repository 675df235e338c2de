package io.github.pierdat.backend.ipfs.dagpb;

import io.github.pierdat.backend.ipfs.cid.Varint;
import java.util.Arrays;

/** A minimal protobuf wire-format writer into a growing byte array. */
public final class ProtoWriter {

  private byte[] buf;
  private int size;

  public ProtoWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /** Writes a varint field. */
  public ProtoWriter varintField(int field, long value) {
    varint((long) field << 3 | ProtoReader.VARINT);
    return varint(value);
  }

  /** Writes a length-delimited field. */
  public ProtoWriter bytesField(int field, byte[] value) {
    return bytesField(field, value, 0, value.length);
  }

  /** Writes a length-delimited field from part of an array. */
  public ProtoWriter bytesField(int field, byte[] value, int offset, int length) {
    varint((long) field << 3 | ProtoReader.LENGTH_DELIMITED);
    varint(length);
    ensure(length);
    System.arraycopy(value, offset, buf, size, length);
    size += length;
    return this;
  }

  /** Writes a raw varint. */
  public ProtoWriter varint(long value) {
    ensure(Varint.MAX_BYTES + 1);
    // protobuf varints may need 10 bytes for negative/huge values; UnixFS values are all non-negative.
    size = Varint.write(value, buf, size);
    return this;
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
  }

  /** The bytes written so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
