package io.github.pierdat.backend.ipfs.unixfs;

import io.github.pierdat.backend.ipfs.cid.Cid;

/**
 * One block the importer produced, as a {@link BlockListener} sees it. Leaves are described by where their
 * bytes are in the file (so an index can regenerate them without keeping them); interior nodes carry their
 * encoded bytes, which are small (at most ~8 KiB for 174 links).
 *
 * @param cid the block's CID
 * @param kind what it is
 * @param offset where the file bytes under this block start
 * @param length how many file bytes are under this block
 * @param node the encoded block for {@link Kind#INTERIOR}, null for leaves
 */
public record ImportedBlock(Cid cid, Kind kind, long offset, long length, byte[] node) {

  /** What kind of block. */
  public enum Kind {
    /** A dag-pb leaf holding UnixFS {@code Data{Type=File, Data=bytes, filesize}} (CIDv0 default). */
    FILE_LEAF,
    /** A raw leaf: the file bytes themselves (codec raw, {@code --raw-leaves}). */
    RAW_LEAF,
    /** A dag-pb node linking to children, with UnixFS {@code Data{Type=File, filesize, blocksizes}}. */
    INTERIOR
  }
}
