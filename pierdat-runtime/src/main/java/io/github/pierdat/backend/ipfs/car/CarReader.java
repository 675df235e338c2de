package io.github.pierdat.backend.ipfs.car;

import io.github.pierdat.backend.ipfs.cid.Block;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.CidFormatException;
import io.github.pierdat.backend.ipfs.cid.Multihash;
import io.github.pierdat.backend.ipfs.cid.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * Reads a CARv1 stream: a varint-prefixed dag-cbor header naming the roots, then sections of
 * {@code varint(length) CID block}. Every block is verified against its CID's multihash before
 * {@link #next()} returns it; a mismatch is a {@link io.github.pierdat.backend.ipfs.cid.BlockMismatchException}
 * naming the block. Sections larger than the limit are refused before they are read.
 *
 * <p>Reads through a buffer of its own, so varints and CIDs cost no call into the stream per byte, and
 * reads each block's bytes straight into the array the {@link Block} keeps (one copy, one allocation).
 */
public final class CarReader implements AutoCloseable {

  /** Default largest section accepted: kubo's 1 MiB block limit plus room, well above 256 KiB chunks. */
  public static final int DEFAULT_MAX_SECTION = 2 << 20;
  private static final int MAX_HEADER = 1 << 16;
  private static final int BUFFER_SIZE = 1 << 16;
  /** More than any supported CID takes (a CIDv1 with a sha2-256 multihash is 36 bytes). */
  private static final int CID_WINDOW = 64;

  private final InputStream in;
  private final String source;
  private final int maxSection;
  private final List<Cid> roots;
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private final MessageDigest sha256 = Multihash.newSha256();
  private int pos;
  private int limit;
  private long blocks;
  /** An array a consumer gave back ({@link #recycle}), reused for the next block of its length. */
  private byte[] spare;

  /**
   * Reads the header of the CAR in {@code in}.
   *
   * @param source names where the stream comes from, for messages
   * @throws CarFormatException when the header is malformed or not CARv1
   */
  public CarReader(InputStream in, String source, int maxSection) throws IOException {
    this.in = Objects.requireNonNull(in);
    this.source = source;
    this.maxSection = maxSection;
    long length;
    try {
      length = readVarintOrEof();
    } catch (EOFException e) {
      throw new CarFormatException("CAR from " + source + " ends inside its header length", e);
    }
    if (length < 0) {
      throw new CarFormatException("CAR from " + source + " is empty: no header");
    }
    if (length == 0 || length > MAX_HEADER) {
      throw new CarFormatException("CAR from " + source + " has a header of " + length
          + " bytes; expected 1 to " + MAX_HEADER);
    }
    byte[] header = new byte[(int) length];
    if (readFully(header, 0, header.length) < length) {
      throw new CarFormatException("CAR from " + source + " ends inside its header");
    }
    try {
      this.roots = CarHeaderCodec.decodeRoots(header);
    } catch (CarFormatException e) {
      throw new CarFormatException(e.getMessage() + " (CAR from " + source + ")", e);
    }
  }

  public CarReader(InputStream in, String source) throws IOException {
    this(in, source, DEFAULT_MAX_SECTION);
  }

  /** The roots the header names. */
  public List<Cid> roots() {
    return roots;
  }

  /** Blocks read so far. */
  public long blocksRead() {
    return blocks;
  }

  /**
   * The next verified block, or null at the end of the stream.
   *
   * @throws io.github.pierdat.backend.ipfs.cid.BlockMismatchException when its bytes do not match its CID
   * @throws CarFormatException when the section is malformed, truncated or too large
   */
  public Block next() throws IOException {
    long length;
    try {
      length = readVarintOrEof();
    } catch (EOFException e) {
      throw new CarFormatException("CAR from " + source + " ends inside a section length", e);
    }
    if (length < 0) {
      return null;
    }
    if (length > maxSection) {
      throw new CarFormatException("CAR from " + source + " has a section of " + length + " bytes after "
          + blocks + " blocks; the limit is " + maxSection);
    }
    int section = (int) length;
    int window = Math.min(section, CID_WINDOW);
    if (fill(window) < window) {
      throw truncated(section, limit - pos);
    }
    ByteBuffer buf = ByteBuffer.wrap(buffer, pos, window);
    Cid cid;
    try {
      cid = Cid.readFrom(buf);
    } catch (CidFormatException e) {
      throw new CarFormatException("CAR from " + source + ", section " + (blocks + 1) + ": " + e.getMessage(), e);
    }
    int cidLength = buf.position() - pos;
    pos = buf.position();
    byte[] bytes = array(section - cidLength);
    int read = readFully(bytes, 0, bytes.length);
    if (read < bytes.length) {
      throw truncated(section, cidLength + read);
    }
    Block block = Block.verify(cid, bytes, source, sha256);
    blocks++;
    return block;
  }

  /**
   * Gives back the array of a block from {@link #next()} that nobody refers to any more, so the next block of
   * the same length is read into it instead of a new array (a file's leaves mostly have one length: no
   * allocation, zeroing or page faults per block). The caller must drop every reference to {@code block}:
   * its bytes will be overwritten, and are verified again before a new {@link Block} hands them out.
   */
  public void recycle(Block block) {
    spare = block.bytes();
  }

  private byte[] array(int length) {
    byte[] reused = spare;
    if (reused != null && reused.length == length) {
      spare = null;
      return reused;
    }
    return new byte[length];
  }

  private CarFormatException truncated(int section, int present) {
    return new CarFormatException("CAR from " + source + " ends inside section " + (blocks + 1) + " ("
        + present + " of " + section + " bytes)");
  }

  /** A varint, or -1 when the stream ends before its first byte. */
  private long readVarintOrEof() throws IOException {
    long value = 0;
    for (int i = 0; i < Varint.MAX_BYTES; i++) {
      if (pos == limit && fill(1) == 0) {
        if (i == 0) {
          return -1;
        }
        throw new EOFException("stream ended inside a varint");
      }
      int b = buffer[pos++] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new CarFormatException("CAR from " + source + ": a varint is not minimally encoded");
        }
        return value;
      }
    }
    throw new CarFormatException("CAR from " + source + ": a varint is longer than " + Varint.MAX_BYTES + " bytes");
  }

  /** Buffers at least {@code wanted} bytes (at most the buffer's size) unless the stream ends; returns how many are buffered. */
  private int fill(int wanted) throws IOException {
    if (limit - pos >= wanted) {
      return limit - pos;
    }
    if (pos > 0) {
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    while (limit < wanted) {
      int n = in.read(buffer, limit, buffer.length - limit);
      if (n < 0) {
        break;
      }
      limit += n;
    }
    return limit - pos;
  }

  /** Copies buffered bytes, then reads the rest straight from the stream; returns the bytes placed. */
  private int readFully(byte[] out, int offset, int length) throws IOException {
    int buffered = Math.min(length, limit - pos);
    System.arraycopy(buffer, pos, out, offset, buffered);
    pos += buffered;
    int done = buffered;
    while (done < length) {
      int n = in.read(out, offset + done, length - done);
      if (n < 0) {
        break;
      }
      done += n;
    }
    return done;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
