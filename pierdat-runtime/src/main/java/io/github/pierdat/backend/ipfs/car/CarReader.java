package io.github.pierdat.backend.ipfs.car;

import io.github.pierdat.backend.ipfs.cid.Block;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.CidFormatException;
import io.github.pierdat.backend.ipfs.cid.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Reads a CARv1 stream: a varint-prefixed dag-cbor header naming the roots, then sections of
 * {@code varint(length) CID block}. Every block is verified against its CID's multihash before
 * {@link #next()} returns it; a mismatch is a {@link io.github.pierdat.backend.ipfs.cid.BlockMismatchException}
 * naming the block. Sections larger than the limit are refused before they are read.
 */
public final class CarReader implements AutoCloseable {

  /** Default largest section accepted: kubo's 1 MiB block limit plus room, well above 256 KiB chunks. */
  public static final int DEFAULT_MAX_SECTION = 2 << 20;
  private static final int MAX_HEADER = 1 << 16;

  private final InputStream in;
  private final String source;
  private final int maxSection;
  private final List<Cid> roots;
  private long blocks;

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
    long length = Varint.readOrEof(in);
    if (length < 0) {
      throw new CarFormatException("CAR from " + source + " is empty: no header");
    }
    if (length == 0 || length > MAX_HEADER) {
      throw new CarFormatException("CAR from " + source + " has a header of " + length
          + " bytes; expected 1 to " + MAX_HEADER);
    }
    byte[] header = in.readNBytes((int) length);
    if (header.length < length) {
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
      length = Varint.readOrEof(in);
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
    byte[] section = in.readNBytes((int) length);
    if (section.length < length) {
      throw new CarFormatException("CAR from " + source + " ends inside section " + (blocks + 1) + " ("
          + section.length + " of " + length + " bytes)");
    }
    ByteBuffer buf = ByteBuffer.wrap(section);
    Cid cid;
    try {
      cid = Cid.readFrom(buf);
    } catch (CidFormatException e) {
      throw new CarFormatException("CAR from " + source + ", section " + (blocks + 1) + ": " + e.getMessage(), e);
    }
    byte[] bytes = java.util.Arrays.copyOfRange(section, buf.position(), section.length);
    Block block = Block.verify(cid, bytes, source);
    blocks++;
    return block;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
