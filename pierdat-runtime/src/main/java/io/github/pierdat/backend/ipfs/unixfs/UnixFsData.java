package io.github.pierdat.backend.ipfs.unixfs;

import io.github.pierdat.backend.ipfs.dagpb.ByteRange;
import io.github.pierdat.backend.ipfs.dagpb.DagPbException;
import io.github.pierdat.backend.ipfs.dagpb.ProtoReader;
import io.github.pierdat.backend.ipfs.dagpb.ProtoWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The UnixFS {@code Data} message carried in a dag-pb node's Data field:
 * {@code Type = 1, Data = 2, filesize = 3, blocksizes = 4 (repeated)}; the later fields (hashType, fanout,
 * mode, mtime) are read past.
 *
 * @param type the node type
 * @param data the file bytes held by this node itself, or null; a decoded one shares them with the block
 * @param filesize the bytes of file under this node, or -1 when absent
 * @param blocksizes for each link, the bytes of file under it (empty for leaves)
 */
public record UnixFsData(UnixFsType type, ByteRange data, long filesize, long[] blocksizes) {

  public UnixFsData {
    Objects.requireNonNull(type, "type");
    blocksizes = blocksizes == null ? new long[0] : blocksizes;
  }

  /**
   * Decodes the Data field of a dag-pb node.
   *
   * @param what names the node in errors (e.g. its CID)
   */
  public static UnixFsData decode(byte[] bytes, String what) throws DagPbException {
    return decode(ByteRange.of(bytes), what);
  }

  /**
   * Decodes the Data field of a dag-pb node; the result's {@link #data()} is a range of {@code bytes}, not
   * a copy.
   *
   * @param what names the node in errors (e.g. its CID)
   */
  public static UnixFsData decode(ByteRange bytes, String what) throws DagPbException {
    ProtoReader r = new ProtoReader(bytes, "UnixFS data of " + what);
    UnixFsType type = null;
    ByteRange data = null;
    long filesize = -1;
    long[] blocksizes = new long[8];
    int count = 0;
    while (r.hasMore()) {
      long tag = r.readTag();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 1 && wire == ProtoReader.VARINT) {
        long code = r.readVarint();
        type = UnixFsType.forCode(code);
        if (type == null) {
          throw new DagPbException(r.what() + ": unknown UnixFS type " + code);
        }
      } else if (field == 2 && wire == ProtoReader.LENGTH_DELIMITED) {
        data = r.readRange();
      } else if (field == 3 && wire == ProtoReader.VARINT) {
        filesize = r.readVarint();
      } else if (field == 4 && wire == ProtoReader.VARINT) {
        if (count == blocksizes.length) {
          blocksizes = Arrays.copyOf(blocksizes, count * 2);
        }
        blocksizes[count++] = r.readVarint();
      } else if (field == 4 && wire == ProtoReader.LENGTH_DELIMITED) {
        ProtoReader packed = r.readEmbedded(r.what() + " blocksizes");
        while (packed.hasMore()) {
          if (count == blocksizes.length) {
            blocksizes = Arrays.copyOf(blocksizes, count * 2);
          }
          blocksizes[count++] = packed.readVarint();
        }
      } else {
        r.skip(wire);
      }
    }
    if (type == null) {
      throw new DagPbException(r.what() + ": the required Type field is missing");
    }
    return new UnixFsData(type, data, filesize, Arrays.copyOf(blocksizes, count));
  }

  /** The encoding kubo writes: Type, Data (if any), filesize (if known), each blocksize unpacked. */
  public byte[] encode() {
    ProtoWriter w = new ProtoWriter(16 + (data == null ? 0 : data.length()) + blocksizes.length * 5);
    w.varintField(1, type.code());
    if (data != null) {
      w.bytesField(2, data.array(), data.offset(), data.length());
    }
    if (filesize >= 0) {
      w.varintField(3, filesize);
    }
    for (long size : blocksizes) {
      w.varintField(4, size);
    }
    return w.toByteArray();
  }
}
