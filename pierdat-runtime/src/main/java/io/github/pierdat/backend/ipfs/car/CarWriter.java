package io.github.pierdat.backend.ipfs.car;

import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.Varint;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/** Writes a CARv1 stream: the header with the roots, then one section per block. Does not close the stream. */
public final class CarWriter {

  private final OutputStream out;

  /** Writes the header naming {@code roots}. */
  public CarWriter(OutputStream out, List<Cid> roots) throws IOException {
    this.out = Objects.requireNonNull(out);
    byte[] header = CarHeaderCodec.encode(roots);
    out.write(Varint.encode(header.length));
    out.write(header);
  }

  /** Writes one section; the caller guarantees {@code block} matches {@code cid}. */
  public void write(Cid cid, byte[] block) throws IOException {
    byte[] cidBytes = cid.toBytes();
    out.write(Varint.encode((long) cidBytes.length + block.length));
    out.write(cidBytes);
    out.write(block);
  }

  /** The bytes of the header (with its length prefix) for {@code roots}, to compute a Content-Length. */
  public static long headerLength(List<Cid> roots) {
    int n = CarHeaderCodec.encode(roots).length;
    return Varint.size(n) + n;
  }

  /** The bytes {@link #write} produces for a block of {@code blockLength} bytes. */
  public static long sectionLength(Cid cid, long blockLength) {
    long n = cid.toBytes().length + blockLength;
    return Varint.size(n) + n;
  }
}
