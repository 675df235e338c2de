package io.github.pierdat.backend.ipfs.gateway;

import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.unixfs.ImportedBlock;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import java.util.List;

/**
 * Where one block of a seeded file comes from: leaves are regenerated from a range of the file, interior
 * nodes are kept (they are small), with their children and the file bytes under each.
 */
record BlockLocation(Cid cid, ImportedBlock.Kind kind, long offset, long length, byte[] node,
    List<Cid> children, long[] childSizes) {

  /** The size of the encoded block. */
  long blockLength() {
    return switch (kind) {
      case RAW_LEAF -> length;
      case FILE_LEAF -> UnixFsImporter.fileLeafLength((int) length);
      case INTERIOR -> node.length;
    };
  }
}
