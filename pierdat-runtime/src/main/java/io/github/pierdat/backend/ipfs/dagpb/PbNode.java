package io.github.pierdat.backend.ipfs.dagpb;

import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.cid.CidFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A dag-pb node: {@code message PBNode { repeated PBLink Links = 2; optional bytes Data = 1; }} with
 * {@code message PBLink { optional bytes Hash = 1; optional string Name = 2; optional uint64 Tsize = 3; }}.
 * {@link #encode()} writes the canonical form (links first, then data), which is what CIDs are computed over.
 *
 * @param links the links, in order
 * @param data the {@code Data} field, or null when absent; a decoded node shares it with the block
 */
public record PbNode(List<PbLink> links, ByteRange data) {

  public PbNode {
    links = List.copyOf(links);
  }

  /** A node whose {@code Data} field is {@code data} (null when absent). */
  public PbNode(List<PbLink> links, byte[] data) {
    this(links, data == null ? null : ByteRange.of(data));
  }

  /**
   * Decodes a dag-pb block; its {@link #data()} is a range of {@code block}, not a copy. Unknown fields are
   * rejected, as the dag-pb spec requires.
   *
   * @param what names the block in errors (e.g. its CID)
   */
  public static PbNode decode(byte[] block, String what) throws DagPbException {
    ProtoReader r = new ProtoReader(block, "dag-pb node " + what);
    List<PbLink> links = new ArrayList<>();
    ByteRange data = null;
    while (r.hasMore()) {
      long tag = r.readTag();
      if (tag == (1 << 3 | ProtoReader.LENGTH_DELIMITED)) {
        if (data != null) {
          throw new DagPbException(r.what() + ": Data appears twice");
        }
        data = r.readRange();
      } else if (tag == (2 << 3 | ProtoReader.LENGTH_DELIMITED)) {
        links.add(decodeLink(r.readEmbedded("link " + links.size() + " of dag-pb node " + what)));
      } else {
        throw new DagPbException(r.what() + ": unexpected field " + (tag >>> 3) + " (wire type " + (tag & 7)
            + "); dag-pb only has Data (1) and Links (2)");
      }
    }
    return new PbNode(links, data);
  }

  private static PbLink decodeLink(ProtoReader r) throws DagPbException {
    Cid cid = null;
    String name = null;
    long tsize = -1;
    while (r.hasMore()) {
      long tag = r.readTag();
      if (tag == (1 << 3 | ProtoReader.LENGTH_DELIMITED)) {
        byte[] hash = r.readBytes();
        try {
          cid = Cid.fromBytes(hash);
        } catch (CidFormatException e) {
          throw new DagPbException(r.what() + ": " + e.getMessage(), e);
        }
      } else if (tag == (2 << 3 | ProtoReader.LENGTH_DELIMITED)) {
        name = new String(r.readBytes(), StandardCharsets.UTF_8);
      } else if (tag == (3 << 3 | ProtoReader.VARINT)) {
        tsize = r.readVarint();
      } else {
        throw new DagPbException(r.what() + ": unexpected field " + (tag >>> 3) + " (wire type " + (tag & 7)
            + "); a dag-pb link only has Hash (1), Name (2) and Tsize (3)");
      }
    }
    if (cid == null) {
      throw new DagPbException(r.what() + ": it has no Hash");
    }
    return new PbLink(cid, name, tsize);
  }

  /** The canonical encoding: each link (Hash, Name, Tsize as present), then Data if present. */
  public byte[] encode() {
    ProtoWriter w = new ProtoWriter(links.size() * 48 + (data == null ? 0 : data.length() + 8));
    for (PbLink link : links) {
      ProtoWriter l = new ProtoWriter(48);
      l.bytesField(1, link.cid().toBytes());
      if (link.name() != null) {
        l.bytesField(2, link.name().getBytes(StandardCharsets.UTF_8));
      }
      if (link.tsize() >= 0) {
        l.varintField(3, link.tsize());
      }
      w.bytesField(2, l.toByteArray());
    }
    if (data != null) {
      w.bytesField(1, data.array(), data.offset(), data.length());
    }
    return w.toByteArray();
  }
}
