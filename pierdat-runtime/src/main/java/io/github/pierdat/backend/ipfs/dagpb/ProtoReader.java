package io.github.pierdat.backend.ipfs.dagpb;

/**
 * A minimal protobuf wire-format reader over a byte range: tags, varints and length-delimited fields, which
 * is all dag-pb and UnixFS use. Errors are {@link DagPbException}s saying what is wrong and where.
 */
public final class ProtoReader {

  /** Wire type of varint fields. */
  public static final int VARINT = 0;
  /** Wire type of 64-bit fields. */
  public static final int FIXED64 = 1;
  /** Wire type of bytes, strings, embedded messages and packed repeated fields. */
  public static final int LENGTH_DELIMITED = 2;
  /** Wire type of 32-bit fields. */
  public static final int FIXED32 = 5;

  private final byte[] bytes;
  private final int limit;
  private final String what;
  private int pos;

  /** Reads {@code bytes[offset, offset+length)}; {@code what} names the message in errors. */
  public ProtoReader(byte[] bytes, int offset, int length, String what) {
    this.bytes = bytes;
    this.pos = offset;
    this.limit = offset + length;
    this.what = what;
  }

  public ProtoReader(byte[] bytes, String what) {
    this(bytes, 0, bytes.length, what);
  }

  /** Reads {@code range}; {@code what} names the message in errors. */
  public ProtoReader(ByteRange range, String what) {
    this(range.array(), range.offset(), range.length(), what);
  }

  /** True when bytes remain. */
  public boolean hasMore() {
    return pos < limit;
  }

  /** Reads the next tag ({@code field << 3 | wireType}). */
  public long readTag() throws DagPbException {
    long tag = readVarint();
    if ((tag >>> 3) == 0) {
      throw new DagPbException(what + ": field number 0 at byte " + pos + " is invalid");
    }
    return tag;
  }

  /** Reads a varint (up to 10 bytes, as protobuf allows). */
  public long readVarint() throws DagPbException {
    long value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= limit) {
        throw new DagPbException(what + ": truncated varint at byte " + pos);
      }
      int b = bytes[pos++] & 0xFF;
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new DagPbException(what + ": varint longer than 10 bytes at byte " + pos);
  }

  /** Reads a length-delimited field's content as a copy. */
  public byte[] readBytes() throws DagPbException {
    int length = readLength();
    byte[] out = new byte[length];
    System.arraycopy(bytes, pos, out, 0, length);
    pos += length;
    return out;
  }

  /** Reads a length-delimited field's content as a range of the bytes read (no copy). */
  public ByteRange readRange() throws DagPbException {
    int length = readLength();
    ByteRange range = new ByteRange(bytes, pos, length);
    pos += length;
    return range;
  }

  /** Reads a length-delimited field as a reader over its content (no copy). */
  public ProtoReader readEmbedded(String innerWhat) throws DagPbException {
    int length = readLength();
    ProtoReader inner = new ProtoReader(bytes, pos, length, innerWhat);
    pos += length;
    return inner;
  }

  private int readLength() throws DagPbException {
    long length = readVarint();
    if (length < 0 || length > limit - pos) {
      throw new DagPbException(what + ": a field claims " + length + " bytes, only " + (limit - pos) + " remain");
    }
    return (int) length;
  }

  /** Skips a field of {@code wireType} whose tag was just read. */
  public void skip(int wireType) throws DagPbException {
    switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> advance(8);
      case LENGTH_DELIMITED -> advance(readLength());
      case FIXED32 -> advance(4);
      default -> throw new DagPbException(what + ": unsupported wire type " + wireType + " at byte " + pos);
    }
  }

  private void advance(int n) throws DagPbException {
    if (n > limit - pos) {
      throw new DagPbException(what + ": truncated field at byte " + pos);
    }
    pos += n;
  }

  /** The message name given at construction, for callers' errors. */
  public String what() {
    return what;
  }
}
